"""Train a small ResNet on an image-folder dataset (the analyzer benchmark's 500-line script).

A typical research training script, written the way many are: argparse settings, a
dataset class, augmentation, a ResNet-style model, a training loop with logging,
evaluation, a learning-rate schedule and early stopping. It contains several of the
energy patterns green-assist reports, so the benchmark includes the cost of findings.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp")
MEAN = (0.4914, 0.4822, 0.4465)
STD = (0.2470, 0.2435, 0.2616)


@dataclass
class Settings:
    data_dir: str = "data"
    out_dir: str = "runs/resnet"
    epochs: int = 30
    batch_size: int = 128
    lr: float = 0.1
    momentum: float = 0.9
    weight_decay: float = 5e-4
    warmup_epochs: int = 2
    width: int = 64
    depth: int = 3
    dropout: float = 0.1
    label_smoothing: float = 0.1
    patience: int = 5
    seed: int = 0
    image_size: int = 32
    log_every: int = 50
    device: str = "cuda" if torch.cuda.is_available() else "cpu"
    classes: list[str] = field(default_factory=list)


def parse_settings() -> Settings:
    parser = argparse.ArgumentParser(description=__doc__)
    defaults = Settings()
    for name, value in asdict(defaults).items():
        if isinstance(value, list):
            continue
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)
    args = parser.parse_args()
    return Settings(**vars(args))


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)


def find_images(root: Path) -> tuple[list[tuple[Path, int]], list[str]]:
    classes = sorted(p.name for p in root.iterdir() if p.is_dir())
    samples = []
    for index, name in enumerate(classes):
        for path in sorted((root / name).rglob("*")):
            if path.suffix.lower() in IMAGE_EXTENSIONS:
                samples.append((path, index))
    return samples, classes


class RandomCrop:
    def __init__(self, size: int, padding: int = 4) -> None:
        self.size = size
        self.padding = padding

    def __call__(self, image: torch.Tensor) -> torch.Tensor:
        padded = F.pad(image, [self.padding] * 4, mode="reflect")
        top = random.randint(0, padded.shape[1] - self.size)
        left = random.randint(0, padded.shape[2] - self.size)
        return padded[:, top : top + self.size, left : left + self.size]


class RandomFlip:
    def __init__(self, p: float = 0.5) -> None:
        self.p = p

    def __call__(self, image: torch.Tensor) -> torch.Tensor:
        if random.random() < self.p:
            return image.flip(-1)
        return image


class Normalize:
    def __init__(self, mean: tuple[float, ...], std: tuple[float, ...]) -> None:
        self.mean = torch.tensor(mean).view(3, 1, 1)
        self.std = torch.tensor(std).view(3, 1, 1)

    def __call__(self, image: torch.Tensor) -> torch.Tensor:
        return (image - self.mean) / self.std


class Compose:
    def __init__(self, steps: list) -> None:
        self.steps = steps

    def __call__(self, image: torch.Tensor) -> torch.Tensor:
        for step in self.steps:
            image = step(image)
        return image


class ImageFolderDataset(Dataset):
    def __init__(self, samples: list[tuple[Path, int]], size: int, transform=None) -> None:
        self.samples = samples
        self.size = size
        self.transform = transform

    def __len__(self) -> int:
        return len(self.samples)

    def load(self, path: Path) -> torch.Tensor:
        image = Image.open(path).convert("RGB").resize((self.size, self.size))
        array = np.asarray(image, dtype=np.float32) / 255.0
        return torch.from_numpy(array).permute(2, 0, 1).contiguous()

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        path, label = self.samples[index]
        image = self.load(path)
        if self.transform is not None:
            image = self.transform(image)
        return image, label


def split_samples(samples: list, fraction: float, seed: int) -> tuple[list, list]:
    shuffled = samples[:]
    random.Random(seed).shuffle(shuffled)
    cut = int(len(shuffled) * (1 - fraction))
    return shuffled[:cut], shuffled[cut:]


def build_loaders(settings: Settings) -> tuple[DataLoader, DataLoader, list[str]]:
    samples, classes = find_images(Path(settings.data_dir))
    train_samples, val_samples = split_samples(samples, 0.1, settings.seed)
    train_transform = Compose([RandomCrop(settings.image_size), RandomFlip(), Normalize(MEAN, STD)])
    val_transform = Compose([Normalize(MEAN, STD)])
    train_set = ImageFolderDataset(train_samples, settings.image_size, train_transform)
    val_set = ImageFolderDataset(val_samples, settings.image_size, val_transform)
    train_loader = DataLoader(train_set, batch_size=settings.batch_size, shuffle=True)
    val_loader = DataLoader(val_set, batch_size=settings.batch_size * 2)
    return train_loader, val_loader, classes


class BasicBlock(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_channels != out_channels:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.conv2(out)
        out = self.bn2(out)
        return F.relu(out + self.shortcut(x))


class ResNet(nn.Module):
    def __init__(self, num_classes: int, width: int = 64, depth: int = 3, dropout: float = 0.1):
        super().__init__()
        self.stem = nn.Sequential(
            OrderedDict(
                [
                    ("conv", nn.Conv2d(3, width, 3, padding=1)),
                    ("bn", nn.BatchNorm2d(width)),
                    ("relu", nn.ReLU(inplace=True)),
                ]
            )
        )
        layers = []
        channels = width
        for stage in range(depth):
            out_channels = width * 2**stage
            stride = 1 if stage == 0 else 2
            layers.append(BasicBlock(channels, out_channels, stride))
            layers.append(BasicBlock(out_channels, out_channels))
            channels = out_channels
        self.layers = nn.Sequential(*layers)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(channels, num_classes)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(module, nn.BatchNorm2d):
                nn.init.ones_(module.weight)
                nn.init.zeros_(module.bias)
            elif isinstance(module, nn.Linear):
                nn.init.normal_(module.weight, std=0.01)
                nn.init.zeros_(module.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        x = self.layers(x)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.head(self.dropout(x))


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def warmup_cosine(step: int, total: int, warmup: int) -> float:
    if step < warmup:
        return (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return 0.5 * (1 + math.cos(math.pi * progress))


class AverageMeter:
    def __init__(self) -> None:
        self.total = 0.0
        self.count = 0

    def update(self, value: float, n: int = 1) -> None:
        self.total += value * n
        self.count += n

    @property
    def average(self) -> float:
        return self.total / max(1, self.count)


class EarlyStopping:
    def __init__(self, patience: int) -> None:
        self.patience = patience
        self.best = -math.inf
        self.bad_epochs = 0

    def step(self, metric: float) -> bool:
        if metric > self.best:
            self.best = metric
            self.bad_epochs = 0
            return False
        self.bad_epochs += 1
        return self.bad_epochs > self.patience


class JsonLogger:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.rows: list[dict] = []

    def log(self, **values) -> None:
        values["time"] = time.time()
        self.rows.append(values)
        with open(self.path, "a") as handle:
            handle.write(json.dumps(values) + "\n")


def accuracy(logits: torch.Tensor, labels: torch.Tensor, k: int = 1) -> float:
    top = logits.topk(k, dim=1).indices
    correct = (top == labels.unsqueeze(1)).any(dim=1)
    return correct.float().mean().item()


def evaluate(model: nn.Module, loader: DataLoader, device: str) -> dict[str, float]:
    model.eval()
    losses = AverageMeter()
    top1 = AverageMeter()
    top5 = AverageMeter()
    for images, labels in loader:
        images = images.to(device)
        labels = labels.to(device)
        logits = model(images)
        loss = F.cross_entropy(logits, labels)
        losses.update(loss.item(), images.size(0))
        top1.update(accuracy(logits, labels, 1), images.size(0))
        top5.update(accuracy(logits, labels, min(5, logits.size(1))), images.size(0))
    return {"loss": losses.average, "top1": top1.average, "top5": top5.average}


def confusion_matrix(model: nn.Module, loader: DataLoader, device: str, classes: int):
    matrix = torch.zeros(classes, classes, dtype=torch.long)
    model.eval()
    with torch.no_grad():
        for images, labels in loader:
            predictions = model(images.to(device)).argmax(1).cpu()
            for truth, guess in zip(labels, predictions, strict=True):
                matrix[truth, guess] += 1
    return matrix


def per_class_accuracy(matrix: torch.Tensor, classes: list[str]) -> dict[str, float]:
    totals = matrix.sum(1)
    scores = {}
    for index, name in enumerate(classes):
        if totals[index] > 0:
            scores[name] = (matrix[index, index] / totals[index]).item()
    return scores


def mixup(images: torch.Tensor, labels: torch.Tensor, alpha: float, classes: int):
    lam = np.random.beta(alpha, alpha)
    index = torch.randperm(images.size(0)).to(images.device)
    mixed = lam * images + (1 - lam) * images[index]
    targets = F.one_hot(labels, classes).float()
    mixed_targets = lam * targets + (1 - lam) * targets[index]
    return mixed, mixed_targets


def soft_cross_entropy(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return -(targets * F.log_softmax(logits, dim=1)).sum(1).mean()


def make_optimizer(model: nn.Module, settings: Settings) -> torch.optim.Optimizer:
    decay, no_decay = [], []
    for name, parameter in model.named_parameters():
        if parameter.ndim <= 1 or name.endswith(".bias"):
            no_decay.append(parameter)
        else:
            decay.append(parameter)
    groups = [
        {"params": decay, "weight_decay": settings.weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]
    return torch.optim.SGD(groups, lr=settings.lr, momentum=settings.momentum, nesterov=True)


def train_one_epoch(
    model: nn.Module,
    loader: DataLoader,
    optimizer: torch.optim.Optimizer,
    settings: Settings,
    epoch: int,
    logger: JsonLogger,
) -> dict[str, float]:
    model.train()
    losses = AverageMeter()
    top1 = AverageMeter()
    steps_per_epoch = len(loader)
    total_steps = settings.epochs * steps_per_epoch
    warmup_steps = settings.warmup_epochs * steps_per_epoch
    started = time.time()
    for step, (images, labels) in enumerate(loader):
        global_step = epoch * steps_per_epoch + step
        scale = warmup_cosine(global_step, total_steps, warmup_steps)
        for group in optimizer.param_groups:
            group["lr"] = settings.lr * scale
        images = images.to(settings.device)
        labels = labels.to(settings.device)
        use_mixup = random.random() < 0.5
        if use_mixup:
            images, targets = mixup(images, labels, 0.2, len(settings.classes))
            logits = model(images)
            loss = soft_cross_entropy(logits, targets)
        else:
            logits = model(images)
            loss = F.cross_entropy(logits, labels, label_smoothing=settings.label_smoothing)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()
        losses.update(loss.item(), images.size(0))
        top1.update(accuracy(logits, labels), images.size(0))
        if step % settings.log_every == 0:
            elapsed = time.time() - started
            logger.log(
                epoch=epoch,
                step=step,
                loss=losses.average,
                top1=top1.average,
                lr=optimizer.param_groups[0]["lr"],
                images_per_second=(step + 1) * settings.batch_size / max(elapsed, 1e-6),
            )
            print(f"epoch {epoch} step {step}/{steps_per_epoch} loss {losses.average:.4f}")
    return {"loss": losses.average, "top1": top1.average}


def save_checkpoint(path: Path, model: nn.Module, optimizer, epoch: int, best: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "epoch": epoch,
        "best": best,
    }
    torch.save(state, path)


def load_checkpoint(path: Path, model: nn.Module, optimizer) -> tuple[int, float]:
    if not path.exists():
        return 0, -math.inf
    state = torch.load(path, map_location="cpu")
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    return state["epoch"] + 1, state["best"]


def describe_run(settings: Settings, model: nn.Module, classes: list[str]) -> str:
    lines = [
        f"device: {settings.device}",
        f"classes: {len(classes)}",
        f"parameters: {count_parameters(model):,}",
        f"epochs: {settings.epochs}, batch size: {settings.batch_size}",
        f"learning rate: {settings.lr} (warm-up {settings.warmup_epochs} epochs, cosine)",
    ]
    return "\n".join(lines)


def export_onnx(model: nn.Module, settings: Settings, path: Path) -> None:
    model.eval()
    example = torch.randn(1, 3, settings.image_size, settings.image_size).to(settings.device)
    torch.onnx.export(model, example, path, input_names=["image"], output_names=["logits"])


def predict_folder(model: nn.Module, folder: Path, settings: Settings) -> dict[str, int]:
    model.eval()
    normalize = Normalize(MEAN, STD)
    results = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in IMAGE_EXTENSIONS:
            continue
        image = Image.open(path).convert("RGB").resize((settings.image_size,) * 2)
        tensor = torch.from_numpy(np.asarray(image, dtype=np.float32) / 255.0)
        tensor = normalize(tensor.permute(2, 0, 1)).unsqueeze(0).to(settings.device)
        results[path.name] = int(model(tensor).argmax(1))
    return results


def summarize(history: list[dict[str, float]]) -> dict[str, float]:
    best = max(history, key=lambda row: row["val_top1"])
    return {
        "best_epoch": best["epoch"],
        "best_val_top1": best["val_top1"],
        "final_train_loss": history[-1]["train_loss"],
        "epochs_run": len(history),
    }


def main() -> None:
    settings = parse_settings()
    seed_everything(settings.seed)
    out_dir = Path(settings.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    train_loader, val_loader, classes = build_loaders(settings)
    settings.classes = classes
    model = ResNet(len(classes), settings.width, settings.depth, settings.dropout)
    model = model.to(settings.device)
    optimizer = make_optimizer(model, settings)
    start_epoch, best = load_checkpoint(out_dir / "last.pt", model, optimizer)
    print(describe_run(settings, model, classes))
    logger = JsonLogger(out_dir / "log.jsonl")
    stopper = EarlyStopping(settings.patience)
    history = []
    for epoch in range(start_epoch, settings.epochs):
        train_metrics = train_one_epoch(model, train_loader, optimizer, settings, epoch, logger)
        val_metrics = evaluate(model, val_loader, settings.device)
        row = {
            "epoch": epoch,
            "train_loss": train_metrics["loss"],
            "train_top1": train_metrics["top1"],
            "val_loss": val_metrics["loss"],
            "val_top1": val_metrics["top1"],
            "val_top5": val_metrics["top5"],
        }
        history.append(row)
        logger.log(**row)
        print(
            f"epoch {epoch}: train {row['train_loss']:.4f} / {row['train_top1']:.3f}, "
            f"val {row['val_loss']:.4f} / {row['val_top1']:.3f}"
        )
        save_checkpoint(out_dir / "last.pt", model, optimizer, epoch, best)
        if val_metrics["top1"] > best:
            best = val_metrics["top1"]
            save_checkpoint(out_dir / "best.pt", model, optimizer, epoch, best)
        if stopper.step(val_metrics["top1"]):
            print(f"early stop at epoch {epoch}: no improvement for {settings.patience} epochs")
            break
    matrix = confusion_matrix(model, val_loader, settings.device, len(classes))
    scores = per_class_accuracy(matrix, classes)
    with open(out_dir / "per_class.json", "w") as handle:
        json.dump(scores, handle, indent=2)
    with open(out_dir / "summary.json", "w") as handle:
        json.dump(summarize(history), handle, indent=2)
    if os.environ.get("EXPORT_ONNX"):
        export_onnx(model, settings, out_dir / "model.onnx")


if __name__ == "__main__":
    main()
