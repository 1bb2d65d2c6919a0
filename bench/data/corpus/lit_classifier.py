"""Lightning classifier: the Trainer owns the loop, checkpointing and no-grad validation."""

import lightning as L
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms


class LitClassifier(L.LightningModule):
    def __init__(self, hidden=128, lr=1e-3):
        super().__init__()
        self.save_hyperparameters()
        self.model = nn.Sequential(nn.Flatten(), nn.Linear(784, hidden), nn.ReLU(), nn.Linear(hidden, 10))

    def forward(self, x):
        return self.model(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self.model(x)
        self.log("val_acc", (logits.argmax(1) == y).float().mean(), prog_bar=True)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


full = datasets.MNIST("data", train=True, download=True, transform=transforms.ToTensor())
train_set, val_set = random_split(full, [55000, 5000])
train_loader = DataLoader(train_set, batch_size=64, num_workers=4, persistent_workers=True)
val_loader = DataLoader(val_set, batch_size=256, num_workers=4, persistent_workers=True)
trainer = L.Trainer(max_epochs=10, precision="bf16-mixed")
trainer.fit(LitClassifier(), train_loader, val_loader)
