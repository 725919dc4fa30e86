"""PyTorch yardstick for conversion: the forward pass alone of the CycleGAN ResNet generator
(the same layers as ../shared/bench/cyclegan_ref.py's gen(): reflect pad, instance norm without
affine, conv bias on), in eval mode without gradients, on one height x width image. Prints one
JSON line: median_ms per image."""
import argparse, json, time, torch, torch.nn as nn

def gen(ngf, n_blocks):
    L = [nn.ReflectionPad2d(3), nn.Conv2d(3, ngf, 7), nn.InstanceNorm2d(ngf), nn.ReLU(True)]
    c = ngf
    for _ in range(2):
        L += [nn.Conv2d(c, c * 2, 3, 2, 1), nn.InstanceNorm2d(c * 2), nn.ReLU(True)]; c *= 2
    class Block(nn.Module):
        def __init__(s, d):
            super().__init__()
            s.b = nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(d, d, 3), nn.InstanceNorm2d(d), nn.ReLU(True),
                                nn.ReflectionPad2d(1), nn.Conv2d(d, d, 3), nn.InstanceNorm2d(d))
        def forward(s, x): return x + s.b(x)
    L += [Block(c) for _ in range(n_blocks)]
    for _ in range(2):
        L += [nn.ConvTranspose2d(c, c // 2, 3, 2, 1, output_padding=1), nn.InstanceNorm2d(c // 2), nn.ReLU(True)]; c //= 2
    L += [nn.ReflectionPad2d(3), nn.Conv2d(c, 3, 7), nn.Tanh()]
    return nn.Sequential(*L)

ap = argparse.ArgumentParser()
ap.add_argument('--height', type=int, default=256); ap.add_argument('--width', type=int, default=256)
ap.add_argument('--ngf', type=int, default=64); ap.add_argument('--blocks', type=int, default=9)
ap.add_argument('--threads', type=int, default=2); ap.add_argument('--iters', type=int, default=3)
ap.add_argument('--warmup', type=int, default=1)
ap.add_argument('--device', default='cpu', help='cpu, cuda or mps: the GPU yardstick for a GPU backend')
a = ap.parse_args()
torch.set_num_threads(a.threads); torch.manual_seed(0)
dev = torch.device(a.device)
G = gen(a.ngf, a.blocks).eval().to(dev)
x = torch.rand(1, 3, a.height, a.width, device=dev) * 2 - 1
def sync():
    # GPU work is asynchronous: time it to the end of the kernels, as the engine times to its read-back.
    if dev.type == 'cuda': torch.cuda.synchronize()
    elif dev.type == 'mps': torch.mps.synchronize()
times = []
with torch.no_grad():
    for i in range(a.warmup + a.iters):
        t = time.perf_counter(); G(x).cpu(); sync(); dt = (time.perf_counter() - t) * 1000
        if i >= a.warmup: times.append(dt)
times.sort()
print(json.dumps({'median_ms': round(times[len(times) // 2], 1), 'min_ms': round(times[0], 1), 'iterations': len(times),
                  'torch': torch.__version__, 'device': a.device, 'height': a.height, 'width': a.width, 'ngf': a.ngf, 'blocks': a.blocks}))
