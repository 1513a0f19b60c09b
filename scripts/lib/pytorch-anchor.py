"""PyTorch CPU anchor for `npm run bench:runner`: the runner's networks, built the same way in PyTorch,
trained on the same kind of synthetic batches and timed the same way (whole steps, loss read back).

Usage: python3 scripts/lib/pytorch-anchor.py --models lenet5,lenet1,resnet20 --batch-size 64 --seconds 10 --threads 1
Prints one JSON object per line: {"model", "samplesPerSecond", "samplesPerCpuSecond", "timedSteps", "seconds",
"parameterCount", "torch", "threads"}; or {"error": ...} and exit code 1 when torch cannot be imported.

Same layers as lib/runner/models (Keras semantics): LeNet-1/5 with 'same' 5x5 convolutions, ReLU, 2x2 max pooling,
dense layers, softmax cross-entropy, SGD 0.01 (what the benchmark's tfjs side uses); ResNet-20 v1 (Keras example:
3x3 convolutions with bias, batch norm eps 1e-3 momentum 0.99, L2 1e-4 on convolution kernels, 1x1 projection
shortcuts, 8x8 average pooling), Adam 1e-3. Images are NCHW (PyTorch's default layout).
"""
import argparse
import json
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except Exception as error:  # noqa: BLE001 - any import failure means "no anchor"
    print(json.dumps({"error": f"torch cannot be imported: {error}"}))
    sys.exit(1)


class LeNet(nn.Module):
    def __init__(self, conv_filters, hidden_units, channels=1, size=28, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, conv_filters[0], 5, padding=2)
        self.conv2 = nn.Conv2d(conv_filters[0], conv_filters[1], 5, padding=2)
        width = conv_filters[1] * (size // 4) * (size // 4)
        layers = []
        for units in hidden_units:
            layers.append(nn.Linear(width, units))
            width = units
        self.hidden = nn.ModuleList(layers)
        self.out = nn.Linear(width, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        for layer in self.hidden:
            x = F.relu(layer(x))
        return self.out(x)  # softmax is inside the cross-entropy loss


class ResNetLayer(nn.Module):
    def __init__(self, cin, cout, kernel=3, stride=1, relu=True, batch_norm=True):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, stride=stride, padding=kernel // 2)
        # Keras BatchNormalization defaults: epsilon 1e-3, moving-average momentum 0.99 (PyTorch counts 1 - 0.99).
        self.bn = nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01) if batch_norm else None
        self.relu = relu

    def forward(self, x):
        x = self.conv(x)
        if self.bn is not None:
            x = self.bn(x)
        return F.relu(x) if self.relu else x


class ResNetV1(nn.Module):
    def __init__(self, depth=20, classes=10):
        super().__init__()
        blocks = (depth - 2) // 6
        self.stem = ResNetLayer(3, 16)
        self.blocks = nn.ModuleList()
        filters, cin = 16, 16
        for stack in range(3):
            for block in range(blocks):
                stride = 2 if stack > 0 and block == 0 else 1
                shortcut = ResNetLayer(cin, filters, kernel=1, stride=stride, relu=False, batch_norm=False) if stride == 2 else None
                self.blocks.append(nn.ModuleList([ResNetLayer(cin, filters, stride=stride), ResNetLayer(filters, filters, relu=False), shortcut or nn.Identity()]))
                cin = filters
            filters *= 2
        self.out = nn.Linear(cin, classes)

    def forward(self, x):
        x = self.stem(x)
        for first, second, shortcut in self.blocks:
            x = F.relu(shortcut(x) + second(first(x)))
        x = F.avg_pool2d(x, 8)
        return self.out(torch.flatten(x, 1))


MODELS = {
    "lenet1": (lambda: LeNet([4, 12], []), (1, 28, 28), "sgd"),
    "lenet5": (lambda: LeNet([6, 16], [120, 84]), (1, 28, 28), "sgd"),
    "resnet20": (lambda: ResNetV1(20), (3, 32, 32), "adam"),
}


def measure(name, batch_size, seconds, warmup, min_steps, warmup_seconds=0.0):
    build, shape, optimizer_name = MODELS[name]
    torch.manual_seed(20201111)
    model = build()
    model.train()
    if optimizer_name == "adam":
        # Keras adds 1e-4 * sum(w^2) of each convolution kernel to the loss: gradient 2e-4 * w on those kernels.
        kernels = [p for n, p in model.named_parameters() if n.endswith("conv.weight")]
        others = [p for n, p in model.named_parameters() if not n.endswith("conv.weight")]
        optimizer = torch.optim.Adam([{"params": kernels, "weight_decay": 2e-4}, {"params": others}], lr=1e-3, eps=1e-7)
    else:
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    generator = torch.Generator().manual_seed(7)
    batches = [(torch.rand((batch_size, *shape), generator=generator), torch.randint(0, 10, (batch_size,), generator=generator)) for _ in range(4)]
    step = 0

    def run_step():
        nonlocal step
        xs, ys = batches[step % len(batches)]
        step += 1
        optimizer.zero_grad(set_to_none=True)
        logits = model(xs)
        loss = F.cross_entropy(logits, ys)
        loss.backward()
        optimizer.step()
        # The runner reads loss and accuracy back every step; so does this.
        return loss.item(), (logits.argmax(1) == ys).float().mean().item()

    warmup_started, warmed = time.perf_counter(), 0
    while warmed < warmup or time.perf_counter() - warmup_started < warmup_seconds:
        run_step()
        warmed += 1
    started, cpu_started = time.perf_counter(), time.process_time()
    timed, elapsed = 0, 0.0
    while timed < min_steps or elapsed < seconds:
        run_step()
        timed += 1
        elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return {
        "model": name,
        "samplesPerSecond": timed * batch_size / elapsed,
        "samplesPerCpuSecond": timed * batch_size / cpu if cpu > 0 else None,
        "timedSteps": timed,
        "seconds": elapsed,
        "parameterCount": sum(p.numel() for p in model.parameters() if p.requires_grad),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", default="lenet5,lenet1,resnet20")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--warmup-seconds", type=float, default=0.0)
    parser.add_argument("--min-steps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    for name in args.models.split(","):
        if name not in MODELS:
            print(json.dumps({"error": f"unknown model {name}"}))
            sys.exit(2)
        result = measure(name, args.batch_size, args.seconds, args.warmup, args.min_steps, args.warmup_seconds)
        result.update({"torch": torch.__version__, "threads": torch.get_num_threads()})
        print(json.dumps(result), flush=True)


main()
