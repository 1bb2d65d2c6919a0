# A script exported from a notebook: top-level code, names reused, no functions.
import torch
import torch.nn as nn

X = torch.randn(96, 8)
Y = (X[:, 0] > 0).long()

# %%
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
criterion = nn.CrossEntropyLoss()

# %%
for epoch in range(3):
    for i in range(0, 96, 24):
        xb, yb = X[i : i + 24], Y[i : i + 24]
        preds = model(xb)
        loss = criterion(preds, yb)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    print(f"epoch {epoch} loss {loss.item():.3f}")

# %%
model.eval()
with torch.no_grad():
    accuracy = (model(X).argmax(1) == Y).float().mean()
print(f"accuracy {accuracy.item():.2f}")
