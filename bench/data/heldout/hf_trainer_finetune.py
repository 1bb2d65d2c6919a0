"""Fine-tuning with the Transformers Trainer: the Trainer owns the loop and checkpoints."""

import numpy as np
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

dataset = load_dataset("yelp_review_full")
tokenizer = AutoTokenizer.from_pretrained("google-bert/bert-base-cased")


def tokenize_function(examples):
    return tokenizer(examples["text"], padding="max_length", truncation=True)


tokenized = dataset.map(tokenize_function, batched=True)
small_train = tokenized["train"].shuffle(seed=42).select(range(1000))
small_eval = tokenized["test"].shuffle(seed=42).select(range(1000))
model = AutoModelForSequenceClassification.from_pretrained("google-bert/bert-base-cased", num_labels=5)


def compute_metrics(eval_pred):
    logits, labels = eval_pred
    predictions = np.argmax(logits, axis=-1)
    return {"accuracy": float((predictions == labels).mean())}


training_args = TrainingArguments(output_dir="test_trainer", eval_strategy="epoch", per_device_train_batch_size=16)  # expect: GA102
trainer = Trainer(model=model, args=training_args, train_dataset=small_train, eval_dataset=small_eval, compute_metrics=compute_metrics)
trainer.train()
