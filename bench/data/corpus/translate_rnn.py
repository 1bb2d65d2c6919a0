"""Sequence-to-sequence translation (the PyTorch tutorial shape): one step per call of train()."""

import random
import time

import torch
import torch.nn as nn
from torch import optim

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
SOS, EOS, MAX_LENGTH = 0, 1, 10
teacher_forcing_ratio = 0.5


class EncoderRNN(nn.Module):
    def __init__(self, input_size, hidden_size):
        super().__init__()
        self.hidden_size = hidden_size
        self.embedding = nn.Embedding(input_size, hidden_size)
        self.gru = nn.GRU(hidden_size, hidden_size)

    def forward(self, token, hidden):
        return self.gru(self.embedding(token).view(1, 1, -1), hidden)

    def init_hidden(self):
        return torch.zeros(1, 1, self.hidden_size, device=device)


class DecoderRNN(nn.Module):
    def __init__(self, hidden_size, output_size):
        super().__init__()
        self.embedding = nn.Embedding(output_size, hidden_size)
        self.gru = nn.GRU(hidden_size, hidden_size)
        self.out = nn.Linear(hidden_size, output_size)

    def forward(self, token, hidden):
        output, hidden = self.gru(torch.relu(self.embedding(token).view(1, 1, -1)), hidden)
        return torch.log_softmax(self.out(output[0]), dim=1), hidden


def tensor_from_ids(ids):
    return torch.tensor(ids + [EOS], dtype=torch.long).view(-1, 1).to(device)  # expect: GA112


def train(source, target, encoder, decoder, enc_opt, dec_opt, criterion):
    hidden = encoder.init_hidden()
    enc_opt.zero_grad()
    dec_opt.zero_grad()
    for i in range(source.size(0)):
        _, hidden = encoder(source[i], hidden)
    token = torch.tensor([[SOS]], device=device)
    loss = 0
    for i in range(target.size(0)):
        output, hidden = decoder(token, hidden)
        loss += criterion(output, target[i])
        if random.random() < teacher_forcing_ratio:
            token = target[i]
        else:
            token = output.topk(1)[1].squeeze().detach()
    loss.backward()
    enc_opt.step()
    dec_opt.step()
    return loss.item() / target.size(0)


def train_iters(encoder, decoder, pairs, n_iters, print_every=1000, learning_rate=0.01):
    start = time.time()
    enc_opt = optim.SGD(encoder.parameters(), lr=learning_rate)
    dec_opt = optim.SGD(decoder.parameters(), lr=learning_rate)
    criterion = nn.NLLLoss()
    total = 0.0
    for it in range(1, n_iters + 1):  # expect: GA115, GA101
        source, target = random.choice(pairs)
        loss = train(source, target, encoder, decoder, enc_opt, dec_opt, criterion)  # expect: GA108
        total += loss
        if it % print_every == 0:
            print(f"{time.time() - start:.0f}s {it} {total / print_every:.4f}")
            total = 0.0


def evaluate(encoder, decoder, source):
    with torch.no_grad():
        hidden = encoder.init_hidden()
        for i in range(source.size(0)):
            _, hidden = encoder(source[i], hidden)
        token = torch.tensor([[SOS]], device=device)
        words = []
        for _ in range(MAX_LENGTH):
            output, hidden = decoder(token, hidden)
            token = output.topk(1)[1].squeeze().detach()
            if token.item() == EOS:
                break
            words.append(token.item())
        return words


pairs = [(tensor_from_ids([3, 4, 5]), tensor_from_ids([6, 7])) for _ in range(100)]
encoder = EncoderRNN(50, 256).to(device)
decoder = DecoderRNN(256, 50).to(device)
train_iters(encoder, decoder, pairs, 75000, print_every=5000)
print(evaluate(encoder, decoder, pairs[0][0]))
