"""Text classification fine-tuning with Accelerate (the Transformers no_trainer shape)."""

import argparse

import torch
from accelerate import Accelerator
from datasets import load_dataset
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_scheduler


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model_name_or_path", default="bert-base-uncased")
    parser.add_argument("--per_device_train_batch_size", type=int, default=32)
    parser.add_argument("--num_train_epochs", type=int, default=3)
    parser.add_argument("--checkpointing_steps", default="epoch")
    parser.add_argument("--output_dir", default="out")
    return parser.parse_args()


def main():
    args = parse_args()
    accelerator = Accelerator()  # expect: GA102
    raw = load_dataset("glue", "mrpc")
    tokenizer = AutoTokenizer.from_pretrained(args.model_name_or_path)
    model = AutoModelForSequenceClassification.from_pretrained(args.model_name_or_path, num_labels=2)
    train_dataloader = DataLoader(raw["train"], shuffle=True, batch_size=args.per_device_train_batch_size)  # expect: GA107
    eval_dataloader = DataLoader(raw["validation"], batch_size=64)  # expect: GA107
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
    scheduler = get_scheduler("linear", optimizer, num_warmup_steps=0, num_training_steps=1000)
    model, optimizer, train_dataloader, eval_dataloader = accelerator.prepare(
        model, optimizer, train_dataloader, eval_dataloader
    )
    for epoch in range(args.num_train_epochs):
        model.train()
        for step, batch in enumerate(train_dataloader):
            outputs = model(**batch)
            loss = outputs.loss
            accelerator.backward(loss)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
        model.eval()
        correct = 0
        for batch in eval_dataloader:
            with torch.no_grad():
                outputs = model(**batch)
            predictions = outputs.logits.argmax(dim=-1)
            correct += (predictions == batch["labels"]).sum()
        accelerator.print(f"epoch {epoch}: {correct.item()}")
        if args.checkpointing_steps == "epoch":
            accelerator.save_state(f"{args.output_dir}/epoch_{epoch}")
    unwrapped = accelerator.unwrap_model(model)
    unwrapped.save_pretrained(args.output_dir, save_function=accelerator.save)
    tokenizer.save_pretrained(args.output_dir)


if __name__ == "__main__":
    main()
