"""Train a regressor, then serve predictions from the trained model."""

import torch
import torch.nn as nn

regressor = nn.Sequential(nn.Linear(6, 48), nn.ReLU(), nn.Linear(48, 48), nn.ReLU(), nn.Linear(48, 1))
optimizer = torch.optim.Adam(regressor.parameters(), lr=1e-2)
x_train = torch.randn(200, 6)
y_train = x_train @ torch.randn(6, 1)

for epoch in range(20):
    prediction = regressor(x_train)
    loss = nn.functional.mse_loss(prediction, y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

regressor.eval()
queries = torch.randn(10, 6)
with torch.no_grad():
    answers = regressor(queries)
print(answers.shape, round(loss.item(), 4))
