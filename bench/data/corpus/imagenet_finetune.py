"""ImageNet-style training script: --pretrained is a flag that defaults to off."""

import argparse
import time

import torch
import torch.nn as nn
import torchvision.models as models
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

parser = argparse.ArgumentParser()
parser.add_argument("data")
parser.add_argument("-a", "--arch", default="resnet18")
parser.add_argument("--epochs", default=90, type=int)
parser.add_argument("-b", "--batch-size", default=256, type=int)
parser.add_argument("-p", "--print-freq", default=10, type=int)
parser.add_argument("--pretrained", dest="pretrained", action="store_true", help="use a pretrained model")
parser.add_argument("--amp", action="store_true", help="mixed precision")


def train(loader, model, criterion, optimizer, epoch, device, args, scaler):
    model.train()
    end = time.time()
    for i, (images, target) in enumerate(loader):
        images = images.to(device, non_blocking=True)
        target = target.to(device, non_blocking=True)
        with torch.autocast("cuda", enabled=args.amp):
            loss = criterion(model(images), target)
        optimizer.zero_grad()
        scaler.scale(loss).backward()  # expect: GA101
        scaler.step(optimizer)
        scaler.update()
        if i % args.print_freq == 0:
            print(f"epoch {epoch} [{i}/{len(loader)}] loss {loss.item():.3f} {time.time() - end:.2f}s")
        end = time.time()


def validate(loader, model, criterion, device):
    model.eval()
    with torch.no_grad():
        total = 0.0
        for images, target in loader:
            total += criterion(model(images.to(device)), target.to(device))
    return total / len(loader)


def main():
    args = parser.parse_args()
    device = torch.device("cuda")
    model = models.__dict__[args.arch](pretrained=args.pretrained)  # expect: GA105
    model.to(device)
    criterion = nn.CrossEntropyLoss().to(device)
    optimizer = torch.optim.SGD(model.parameters(), 0.1, momentum=0.9)
    scaler = torch.amp.GradScaler("cuda", enabled=args.amp)
    tfm = transforms.Compose([transforms.RandomResizedCrop(224), transforms.ToTensor()])
    train_loader = DataLoader(datasets.ImageFolder(f"{args.data}/train", tfm), batch_size=args.batch_size, shuffle=True, num_workers=8, pin_memory=True)
    val_loader = DataLoader(datasets.ImageFolder(f"{args.data}/val", tfm), batch_size=args.batch_size, num_workers=8, pin_memory=True)
    best = float("inf")
    for epoch in range(args.epochs):
        train(train_loader, model, criterion, optimizer, epoch, device, args, scaler)
        loss = validate(val_loader, model, criterion, device)
        if loss < best:
            best = loss
            torch.save({"epoch": epoch, "state_dict": model.state_dict()}, "model_best.pth.tar")


if __name__ == "__main__":
    main()
