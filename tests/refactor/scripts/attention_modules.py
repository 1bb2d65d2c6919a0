"""Attention written out by hand, the ways tutorials and nanoGPT write it; saves outputs.

Every module runs on fixed inputs in evaluation mode (and once in training mode with
dropout 0, with a backward pass), and the outputs and input gradients are saved.
"""

import math
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

out = Path(sys.argv[1])


class CausalSelfAttention(nn.Module):
    """nanoGPT's manual path: a causal mask kept in a registered buffer."""

    def __init__(self, n_embd=32, n_head=4, block_size=16, dropout=0.1):
        super().__init__()
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        self.attn_dropout = nn.Dropout(dropout)
        self.n_head, self.n_embd = n_head, n_embd
        self.register_buffer(
            "bias",
            torch.tril(torch.ones(block_size, block_size)).view(1, 1, block_size, block_size),
        )

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        # manual implementation of attention
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))
        att = F.softmax(att, dim=-1)
        att = self.attn_dropout(att)
        y = att @ v  # (B, nh, T, T) x (B, nh, T, hs) -> (B, nh, T, hs)
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class PaddedEinsumAttention(nn.Module):
    """einsum spelling, ``** -0.5`` scale, a key-padding mask applied only when given."""

    def __init__(self, dim=32, heads=4, dropout=0.0):
        super().__init__()
        self.heads = heads
        self.to_qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.softmax = nn.Softmax(dim=-1)
        self.dropout = dropout

    def forward(self, x, mask=None):
        b, n, d = x.shape
        q, k, v = (
            t.reshape(b, n, self.heads, -1).permute(0, 2, 1, 3)
            for t in self.to_qkv(x).chunk(3, dim=-1)
        )
        scores = torch.einsum("bhid,bhjd->bhij", q, k) * q.shape[-1] ** -0.5
        if mask is not None:
            scores = scores.masked_fill(mask[:, None, None, :] == 0, float("-inf"))
        weights = self.softmax(scores)
        weights = F.dropout(weights, p=self.dropout, training=self.training)
        out = torch.einsum("bhij,bhjd->bhid", weights, v)
        return out.permute(0, 2, 1, 3).reshape(b, n, d)


def plain_attention(q, k, v):
    """One expression, no scale at all."""
    return torch.softmax(q @ k.mT, dim=-1) @ v


def local_causal(q, k, v):
    """A causal mask built in the function, filled in place; ``/ math.sqrt(d)``."""
    T = q.size(-2)
    mask = torch.tril(torch.ones(T, T, dtype=torch.bool))
    w = torch.matmul(q, k.transpose(-1, -2))
    w /= math.sqrt(q.size(-1))
    w.masked_fill_(~mask, float("-inf"))
    w = w.softmax(-1)
    return torch.matmul(w, v)


def additive_bias(q, k, v, bias):
    """An additive mask (relative-position bias), scaled before it is added."""
    scores = q @ k.transpose(-2, -1) / q.size(-1) ** 0.5
    scores = scores + bias
    probabilities = F.softmax(scores, dim=-1)
    return probabilities @ v


def upper_mask(q, k, v):
    """A causal mask written as the upper triangle to hide (``triu(..., diagonal=1)``)."""
    T = q.size(-2)
    hidden = torch.triu(torch.ones(T, T), diagonal=1).bool()
    scores = torch.bmm(q, k.transpose(-2, -1)) * 0.2
    scores = scores.masked_fill(hidden, float("-inf"))
    return torch.bmm(F.softmax(scores, dim=-1), v)


torch.manual_seed(0)
x = torch.randn(2, 16, 32)
padding = torch.ones(2, 16, dtype=torch.long)
padding[1, 11:] = 0
q, k, v = (torch.randn(2, 4, 12, 8, requires_grad=True) for _ in range(3))
bias = torch.randn(4, 12, 12)
q3, k3, v3 = (torch.randn(3, 10, 16, requires_grad=True) for _ in range(3))

causal = CausalSelfAttention()
padded = PaddedEinsumAttention()
results = {}
causal.eval()
padded.eval()
with torch.no_grad():
    results["causal_eval"] = causal(x)
    results["padded_eval"] = padded(x, padding)
    results["unpadded_eval"] = padded(x)
for name, function, arguments in [
    ("plain", plain_attention, (q, k, v)),
    ("local_causal", local_causal, (q, k, v)),
    ("additive", additive_bias, (q, k, v, bias)),
    ("upper", upper_mask, (q3, k3, v3)),
]:
    for tensor in (q, k, v, q3, k3, v3):
        tensor.grad = None
    output = function(*arguments)
    output.pow(2).sum().backward()
    results[name] = output.detach()
    grads = [t.grad for t in arguments[:3]]
    results[f"{name}_grads"] = torch.stack([g.flatten() for g in grads])

# Training mode: dropout is on in the module, but its probability is 0 here.
causal.attn_dropout.p = 0.0
causal.train()
x.requires_grad_(True)
output = causal(x)
output.pow(2).sum().backward()
results["causal_train"] = output.detach()
results["causal_train_grad"] = x.grad

# Training mode with dropout: outputs change (the kernel drops weights only while training).
causal.attn_dropout.p = 0.5
with torch.no_grad():
    results["causal_dropout_differs"] = torch.tensor(
        float(not torch.allclose(causal(x), results["causal_train"]))
    )
torch.save(results, out / "attention.pt")
