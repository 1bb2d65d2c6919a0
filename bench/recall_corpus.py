"""The public training programs the labelled corpus was modelled on, with their labels.

    python bench/recall_corpus.py [--check DIR]

These files were read online while building the program model (``read=False``: the
shape was written from familiarity with the file, not re-read); their code is not in
this repository. Each entry names the repository and path, the rules a careful reader
expects to fire on it (on the default path: no command-line arguments), the traps it
holds, and the corpus file(s) under ``bench/data/corpus`` or ``bench/data/heldout``
written for this project to reproduce its shape. ``bench/recall.py`` measures on those
local files; the public files themselves are not fetched by any script (nothing here
downloads at run time).

With ``--check DIR`` (a folder where you placed copies of the public files, laid out as
``DIR/<owner>/<repo>/<path>``), the analyzer is run on them and each expected rule is
checked against what it reports, per file: a way to re-measure on the originals.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Studied:
    repo: str
    path: str
    expected: tuple[str, ...]  # rules that should fire at least once
    traps: str  # what must not fire, and why
    reproduced_by: tuple[str, ...]
    # True: read online for this work; False: shape written from familiarity with the
    # file (not re-read), so its labels are this project's reading of the pattern.
    read: bool = True


STUDIED = (
    Studied(
        "pytorch/examples",
        "mnist/main.py",
        ("GA101", "GA115"),
        "log interval default 10 (no GA108); test() under no_grad (no GA106); the model is"
        " saved only after training and only with --save-model (GA115 still fires)",
        ("corpus/digits_cli.py", "corpus/digits_cli_quiet.py"),
    ),
    Studied(
        "pytorch/examples",
        "dcgan/main.py",
        ("GA101", "GA106", "GA107"),
        "checkpoints every epoch (no GA115); fake = netG(noise) feeds the losses (no GA106),"
        " fake = netG(fixed_noise) every 100 steps does not (GA106)",
        ("corpus/gan_faces.py",),
    ),
    Studied(
        "eriklindernoren/PyTorch-GAN",
        "implementations/cgan/cgan.py",
        ("GA101", "GA106", "GA107", "GA108", "GA115"),
        "sample_image() uses the global generator with autograd on, called every"
        " sample_interval steps from the training loop",
        ("corpus/cgan_digits.py",),
    ),
    Studied(
        "mrdbourke/pytorch-deep-learning",
        "02_pytorch_classification.ipynb",
        ("GA101", "GA106", "GA108", "GA111", "GA113", "GA115"),
        "accuracy_fn with .item() defined in one cell, called every epoch in the loop cell;"
        " evaluation under inference_mode printed every 10 epochs; full-batch training",
        ("corpus/nb_blobs_classification.ipynb", "corpus/nb_linear_workflow.ipynb"),
        read=False,
    ),
    Studied(
        "mrdbourke/pytorch-deep-learning",
        "03_pytorch_computer_vision.ipynb",
        ("GA101", "GA107", "GA108", "GA115"),
        "accuracy_fn passed as a parameter to train_step(); test_step and eval_model under"
        " inference_mode (no GA106)",
        ("corpus/nb_fashion_helpers.ipynb",),
        read=False,
    ),
    Studied(
        "mrdbourke/pytorch-deep-learning",
        "04_pytorch_custom_datasets.ipynb",
        ("GA101", "GA107", "GA108", "GA115"),
        "train_loss += loss.item() in train_step(); train() runs the epochs",
        ("heldout/nb_custom_datasets.ipynb",),
        read=False,
    ),
    Studied(
        "mrdbourke/pytorch-deep-learning",
        "exercise02_multiclass.py",
        ("GA106", "GA108", "GA113"),
        "runs on the CPU (no GA101); full-batch make_blobs data; a decision-boundary plot"
        " calls the model after training outside no_grad",
        ("corpus/nb_blobs_classification.ipynb",),
    ),
    Studied(
        "karpathy/nanoGPT",
        "train.py",
        ("GA105", "GA108"),
        "init_from = 'scratch' by default beside GPT.from_pretrained; log_interval = 1 with"
        " master_process True when RANK is unset; autocast via ctx (no GA101);"
        " checkpoints inside the loop (no GA115); estimate_loss() is @torch.no_grad()",
        ("corpus/tiny_gpt_train.py", "heldout/nb_finetune_config_gpt.ipynb"),
    ),
    Studied(
        "pytorch/tutorials",
        "intermediate_source/seq2seq_translation_tutorial.py",
        ("GA101", "GA108", "GA115"),
        "train() runs one step per call and returns loss.item(); trainIters(75000) loops;"
        " evaluate() under no_grad",
        ("corpus/translate_rnn.py",),
    ),
    Studied(
        "pytorch/examples",
        "imagenet/main.py",
        ("GA101", "GA105"),
        "models.__dict__[args.arch](pretrained=args.pretrained) with --pretrained off;"
        " best checkpoint saved every epoch (no GA115)",
        ("corpus/imagenet_finetune.py",),
        read=False,
    ),
    Studied(
        "pytorch/examples",
        "word_language_model/main.py",
        ("GA108",),
        "total_loss += loss.item() every step; --cuda off by default (no GA101); the best"
        " model saved inside the epoch loop (no GA115)",
        ("corpus/word_lm.py",),
        read=False,
    ),
    Studied(
        "pytorch/examples",
        "vae/main.py",
        ("GA101", "GA108", "GA112", "GA115"),
        "torch.randn(64, 20).to(device) under no_grad each epoch; test() under no_grad",
        ("heldout/vae_examples.py",),
        read=False,
    ),
    Studied(
        "huggingface/transformers",
        "examples/pytorch/text-classification/run_glue_no_trainer.py",
        ("GA102", "GA107"),
        "Accelerator() without mixed_precision; accelerator.backward(loss); evaluation under"
        " no_grad; save_state per epoch (no GA115)",
        ("corpus/glue_finetune_accelerate.py",),
        read=False,
    ),
    Studied(
        "Lightning-AI/pytorch-lightning",
        "examples/pytorch/basics/backbone_image_classifier.py",
        (),
        "the Trainer owns the loop, checkpointing and no-grad validation: nothing to say when"
        " precision is set",
        ("corpus/lit_classifier.py",),
        read=False,
    ),
    Studied(
        "pytorch/tutorials",
        "beginner_source/blitz/cifar10_tutorial.py",
        ("GA106", "GA108", "GA115"),
        "CPU only (no GA101/GA107 pinning); outputs = net(images) after training without"
        " no_grad; the model saved after the epoch loop",
        ("heldout/cifar_tutorial.py",),
        read=False,
    ),
    Studied(
        "pytorch/tutorials",
        "intermediate_source/reinforcement_q_learning.py",
        ("GA101", "GA115"),
        "optimize_model() runs one step per call inside an episode loop; select_action under"
        " no_grad; action.item() feeds env.step (reported by GA108: a false positive in the"
        " held-out measurement)",
        ("heldout/dqn_cartpole.py",),
        read=False,
    ),
)


def check(folder: Path) -> int:
    from green_assist.analysis import Config, analyze_path

    failures = 0
    for entry in STUDIED:
        path = folder / entry.repo / entry.path
        if not path.exists():
            print(f"skip {entry.repo}/{entry.path}: not under {folder}")
            continue
        codes = {f.code for f in analyze_path(path, Config()).findings}
        missing = sorted(set(entry.expected) - codes)
        status = "ok" if not missing else f"missing {', '.join(missing)}"
        failures += bool(missing)
        print(f"{status:<24} {entry.repo}/{entry.path} (found {', '.join(sorted(codes))})")
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", type=Path, help="folder holding copies of the public files")
    args = parser.parse_args()
    if args.check:
        return check(args.check)
    for entry in STUDIED:
        expected = ", ".join(entry.expected) or "nothing"
        print(f"{entry.repo}/{entry.path}: {expected}\n    traps: {entry.traps}")
        how = "read online" if entry.read else "from familiarity"
        print(f"    reproduced by: {', '.join(entry.reproduced_by)} ({how})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
