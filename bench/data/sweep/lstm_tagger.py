"""An LSTM sequence tagger with gradient clipping."""

import torch
import torch.nn as nn


class Tagger(nn.Module):
    def __init__(self, vocab=50, dim=24, tags=5):
        super().__init__()
        self.embedding = nn.Embedding(vocab, dim)
        self.lstm = nn.LSTM(dim, dim, batch_first=True)
        self.out = nn.Linear(dim, tags)

    def forward(self, tokens):
        hidden, _ = self.lstm(self.embedding(tokens))
        return self.out(hidden)


tagger = Tagger()
optimizer = torch.optim.Adam(tagger.parameters(), lr=2e-3)
for epoch in range(2):
    for _ in range(3):
        tokens = torch.randint(0, 50, (8, 12))
        tags = torch.randint(0, 5, (8, 12))
        scores = tagger(tokens)
        loss = nn.functional.cross_entropy(scores.reshape(-1, 5), tags.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(tagger.parameters(), max_norm=1.0)
        optimizer.step()
    print(epoch, round(loss.item(), 3))
