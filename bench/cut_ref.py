"""Reference timing of one CUT or FastCUT training iteration in PyTorch (CPU by default): the
yardstick for Diptych's cut-64 / fastcut-64 bench cases (issue 16), in the style of
../shared/bench/cyclegan_ref.py (same CLI shape, same one-JSON-line output: median_ms per iteration).

Written from the paper (Park, Efros, Zhang, Zhu, "Contrastive Learning for Unpaired Image-to-Image
Translation", ECCV 2020) with the authors' code (taesungp/contrastive-unpaired-translation:
models/cut_model.py, models/patchnce.py, models/networks.py) read as the reference, not copied:
  - G: the ResNet generator of cyclegan_ref.py (reflection padding, instance norm without affine,
    conv bias on, stride-2 convs down, transposed convs up). That is the reference's
    --no_antialias --no_antialias_up; --antialias builds the reference's default instead (blurred
    stride-2 downsampling in G and D, blur upsampling + 3x3 conv in G): same parameters, more work.
  - PatchNCE features: the outputs of G's layers 0,4,8,12,16 counted in G's flat layer list (a
    residual block counts as one layer), as the reference's netG(x, nce_layers, encode_only=True),
    which stops after the last of them. Without antialiasing, layer 0 is the reflection-padded input,
    4 the first stride-2 conv, 8 the second's norm, 12 residual block 3, and 16 residual block 7 with
    9 blocks but the first transposed conv with 6 (the reference does the same for those options).
  - F (PatchSampleF, netF mlp_sample): per layer Linear(C,256)-ReLU-Linear(256,256), then L2
    normalisation (x / (||x|| + 1e-7)); 256 patch positions per layer drawn by randperm from the key
    (source) features and reused for the query; created once before timing (the reference builds it
    lazily on the first forward), with its own Adam.
  - PatchNCE: logits = [q.k+, q.k- over the other patches of the same image (the diagonal set to
    -10)] / 0.07, cross-entropy with target 0, keys detached; per layer x lambda_NCE, mean, then
    averaged over the layers.
  - D: the 70x70 PatchGAN (n_layers 3) of cyclegan_ref.py; LSGAN (MSE to 1 / 0).
  - --mode cut: lambda_NCE 1, identity NCE on real_B: G runs once on cat(real_A, real_B) (batch 2),
    loss_G = GAN + (NCE(real_A, fake_B) + NCE(real_B, idt_B)) / 2.
    --mode fastcut: lambda_NCE 10, no identity term, flip-equivariance: with probability 1/2 per
    iteration (seeded) the input is flipped left-right before G, and the query features of fake_B are
    flipped back before sampling, as the reference's forward / calculate_NCE_loss do.
  - One iteration = the reference's optimize_parameters: G forward; D step (0.5 * (fake + real));
    then G + F step (GAN on D(fake_B) with D frozen, NCE terms, which re-encode fake_B / real_A
    (and idt_B / real_B) through G's layers up to 16). Adam 2e-4, betas (0.5, 0.999) for G, D and F.

Parameter counts (--params prints them with the feature shapes). Checked by hand against the
reference's layer definitions in networks.py (define_G / define_D / PatchSampleF.create_mlp; the
blur filters are buffers, not parameters, so G and D do not depend on the antialias flags):
  G resnet_9blocks ngf 64: 11,378,179 (the "11.378 M" the reference prints, CycleGAN's generator);
  D basic ndf 64: 2,764,737 (2.765 M); F for that G: feature channels (3, 128, 256, 256, 256) give
  sum(256*C + 256 + 256*256 + 256) = 560,384 (0.560 M), with or without antialiasing.
  At --ngf 32 --blocks 6: G 1,965,059, D 2,764,737, F 429,312 (channels (3, 64, 128, 128, 64): layer 16
  is the first transposed conv); with --antialias layer 16 is residual block 5, F 445,696.

Run (prints one JSON line):
  /usr/bin/python3 bench/cut_ref.py --mode cut --size 64 --ngf 32 --blocks 6 --threads 2
  /usr/bin/python3 bench/cut_ref.py --mode fastcut --size 64 --ngf 32 --blocks 6 --threads 2
  /usr/bin/python3 bench/cut_ref.py --ngf 64 --blocks 9 --params   # parameter counts, no timing
"""
import argparse, json, time
import torch, torch.nn as nn, torch.nn.functional as F


class Block(nn.Module):
    def __init__(s, d):
        super().__init__()
        s.b = nn.Sequential(nn.ReflectionPad2d(1), nn.Conv2d(d, d, 3), nn.InstanceNorm2d(d), nn.ReLU(True),
                            nn.ReflectionPad2d(1), nn.Conv2d(d, d, 3), nn.InstanceNorm2d(d))

    def forward(s, x): return x + s.b(x)


def binomial(taps):
    a = torch.tensor({3: [1., 2., 1.], 4: [1., 3., 3., 1.]}[taps])
    k = a[:, None] * a[None, :]
    return k / k.sum()


class BlurDown(nn.Module):
    """The reference's antialiased downsampling: reflect pad 1, depthwise [1,2,1]^2/16 blur, stride 2."""
    def __init__(s, c):
        super().__init__()
        s.register_buffer('k', binomial(3)[None, None].repeat(c, 1, 1, 1))

    def forward(s, x): return F.conv2d(F.pad(x, (1, 1, 1, 1), mode='reflect'), s.k, stride=2, groups=x.shape[1])


class BlurUp(nn.Module):
    """The reference's antialiased upsampling: replicate pad 1, depthwise transposed conv with the
    [1,3,3,1]^2 filter (x4), stride 2, cropped to exactly twice the input size."""
    def __init__(s, c):
        super().__init__()
        s.register_buffer('k', (binomial(4) * 4)[None, None].repeat(c, 1, 1, 1))

    def forward(s, x):
        y = F.conv_transpose2d(F.pad(x, (1, 1, 1, 1), mode='replicate'), s.k, stride=2, padding=2, groups=x.shape[1])
        return y[:, :, 1:-1, 1:-1]


class Generator(nn.Module):
    def __init__(s, ngf, n_blocks, antialias=False):
        super().__init__()
        L = [nn.ReflectionPad2d(3), nn.Conv2d(3, ngf, 7), nn.InstanceNorm2d(ngf), nn.ReLU(True)]
        c = ngf
        for _ in range(2):
            if antialias:
                L += [nn.Conv2d(c, c * 2, 3, 1, 1), nn.InstanceNorm2d(c * 2), nn.ReLU(True), BlurDown(c * 2)]
            else:
                L += [nn.Conv2d(c, c * 2, 3, 2, 1), nn.InstanceNorm2d(c * 2), nn.ReLU(True)]
            c *= 2
        L += [Block(c) for _ in range(n_blocks)]
        for _ in range(2):
            if antialias:
                L += [BlurUp(c), nn.Conv2d(c, c // 2, 3, 1, 1), nn.InstanceNorm2d(c // 2), nn.ReLU(True)]
            else:
                L += [nn.ConvTranspose2d(c, c // 2, 3, 2, 1, output_padding=1), nn.InstanceNorm2d(c // 2), nn.ReLU(True)]
            c //= 2
        L += [nn.ReflectionPad2d(3), nn.Conv2d(c, 3, 7), nn.Tanh()]
        s.layers = nn.Sequential(*L)

    def forward(s, x): return s.layers(x)

    def encode(s, x, ids):
        """The outputs of the layers in ids (ascending), stopping after the last one."""
        feats = []
        for i, layer in enumerate(s.layers):
            x = layer(x)
            if i in ids:
                feats.append(x)
                if i == ids[-1]: break
        return feats


def disc(ndf, n_layers=3, antialias=False):
    def down(cin, cout, norm):
        if antialias:
            return [nn.Conv2d(cin, cout, 4, 1, 1)] + norm + [nn.LeakyReLU(0.2, True), BlurDown(cout)]
        return [nn.Conv2d(cin, cout, 4, 2, 1)] + norm + [nn.LeakyReLU(0.2, True)]
    L = down(3, ndf, [])
    m = 1
    for n in range(1, n_layers):
        p, m = m, min(2 ** n, 8)
        L += down(ndf * p, ndf * m, [nn.InstanceNorm2d(ndf * m)])
    p, m = m, min(2 ** n_layers, 8)
    L += [nn.Conv2d(ndf * p, ndf * m, 4, 1, 1), nn.InstanceNorm2d(ndf * m), nn.LeakyReLU(0.2, True), nn.Conv2d(ndf * m, 1, 4, 1, 1)]
    return nn.Sequential(*L)


class PatchSampleF(nn.Module):
    def __init__(s, channels, nc=256):
        super().__init__()
        s.mlps = nn.ModuleList(nn.Sequential(nn.Linear(c, nc), nn.ReLU(), nn.Linear(nc, nc)) for c in channels)

    def forward(s, feats, num_patches, ids=None):
        out, out_ids = [], []
        for i, f in enumerate(feats):
            flat = f.permute(0, 2, 3, 1).flatten(1, 2)                     # B, H*W, C
            pid = ids[i] if ids is not None else \
                torch.randperm(flat.shape[1], device=f.device)[:min(num_patches, flat.shape[1])]
            x = s.mlps[i](flat[:, pid, :].flatten(0, 1))                     # B*P, nc
            out.append(x / (x.norm(p=2, dim=1, keepdim=True) + 1e-7))
            out_ids.append(pid)
        return out, out_ids


def patch_nce(q, k, batch, tau=0.07):
    """Per-patch loss; negatives are the other sampled patches of the same image."""
    k = k.detach()
    n, dim = q.shape
    pos = (q * k).sum(1, keepdim=True)                                       # n, 1
    qb, kb = q.view(batch, -1, dim), k.view(batch, -1, dim)
    neg = torch.bmm(qb, kb.transpose(1, 2))                                  # batch, P, P
    eye = torch.eye(neg.shape[1], device=q.device, dtype=torch.bool)[None]
    neg = neg.masked_fill(eye, -10.0).view(-1, neg.shape[1])
    logits = torch.cat((pos, neg), 1) / tau
    return F.cross_entropy(logits, torch.zeros(n, dtype=torch.long, device=q.device), reduction='none')


ap = argparse.ArgumentParser()
ap.add_argument('--mode', choices=['cut', 'fastcut'], default='cut')
ap.add_argument('--size', type=int, default=128); ap.add_argument('--ngf', type=int, default=64); ap.add_argument('--ndf', type=int, default=64)
ap.add_argument('--blocks', type=int, default=9); ap.add_argument('--batch', type=int, default=1); ap.add_argument('--threads', type=int, default=2)
ap.add_argument('--iters', type=int, default=5); ap.add_argument('--warmup', type=int, default=2)
ap.add_argument('--device', default='cpu', help='cpu, cuda or mps: the GPU yardstick for a GPU backend')
ap.add_argument('--antialias', action='store_true', help="the reference's default blurred down/upsampling (default: cyclegan_ref.py's layers)")
ap.add_argument('--params', action='store_true', help='print the parameter counts of G, D and F and the NCE feature shapes, then exit')
a = ap.parse_args()
torch.set_num_threads(a.threads); torch.manual_seed(0)
dev = torch.device(a.device)
fast = a.mode == 'fastcut'
lambda_nce, nce_idt, flip_eq = (10.0, False, True) if fast else (1.0, True, False)
nce_layers, num_patches = [0, 4, 8, 12, 16], 256

G, D = Generator(a.ngf, a.blocks, a.antialias).to(dev), disc(a.ndf, 3, a.antialias).to(dev)
assert len(G.layers) > nce_layers[-1], 'too few generator layers for nce_layers 0,4,8,12,16'
with torch.no_grad():
    probe = G.encode(torch.zeros(1, 3, a.size, a.size, device=dev), nce_layers)
Fnet = PatchSampleF([f.shape[1] for f in probe]).to(dev)
if a.params:
    count = lambda m: sum(p.numel() for p in m.parameters())
    print(json.dumps({'mode': a.mode, 'ngf': a.ngf, 'ndf': a.ndf, 'blocks': a.blocks, 'antialias': a.antialias,
                      'params': {'G': count(G), 'D': count(D), 'F': count(Fnet)},
                      'nce_features': [list(f.shape[1:]) for f in probe]}))
    raise SystemExit(0)

adam = lambda m: torch.optim.Adam(m.parameters(), 2e-4, betas=(0.5, 0.999))
oG, oD, oF = adam(G), adam(D), adam(Fnet)
mse = nn.MSELoss()
realA, realB = (torch.rand(a.batch, 3, a.size, a.size, device=dev) * 2 - 1 for _ in range(2))
coin = torch.Generator().manual_seed(0)  # FastCUT's flip coin, seeded so every run flips the same iterations


def nce(src, tgt, flipped):
    feat_q = G.encode(tgt, nce_layers)
    if flipped: feat_q = [torch.flip(f, [3]) for f in feat_q]
    feat_k = G.encode(src, nce_layers)
    k_pool, ids = Fnet(feat_k, num_patches)
    q_pool, _ = Fnet(feat_q, num_patches, ids)
    return sum((patch_nce(q, k, a.batch) * lambda_nce).mean() for q, k in zip(q_pool, k_pool)) / len(nce_layers)


def sync():
    if dev.type == 'cuda': torch.cuda.synchronize()
    elif dev.type == 'mps': torch.mps.synchronize()


def step():
    real = torch.cat((realA, realB)) if nce_idt else realA
    flipped = flip_eq and torch.rand(1, generator=coin).item() < 0.5
    if flipped: real = torch.flip(real, [3])
    fake = G(real)
    fakeB = fake[:a.batch]
    idtB = fake[a.batch:] if nce_idt else None
    # D step
    for p in D.parameters(): p.requires_grad_(True)
    oD.zero_grad()
    pf, pr = D(fakeB.detach()), D(realB)
    lD = 0.5 * (mse(pf, torch.zeros_like(pf)) + mse(pr, torch.ones_like(pr)))
    lD.backward(); oD.step()
    # G + F step
    for p in D.parameters(): p.requires_grad_(False)
    oG.zero_grad(); oF.zero_grad()
    pg = D(fakeB)
    lNCE = nce(realA, fakeB, flipped)
    if nce_idt: lNCE = 0.5 * (lNCE + nce(realB, idtB, False))
    lG = mse(pg, torch.ones_like(pg)) + lNCE
    lG.backward(); oG.step(); oF.step()


for _ in range(a.warmup): step()
sync()
ts = []
for _ in range(a.iters):
    t = time.perf_counter(); step(); sync(); ts.append(time.perf_counter() - t)
ts.sort()
print(json.dumps({'impl': 'pytorch-' + torch.__version__, 'model': a.mode, 'size': a.size, 'ngf': a.ngf, 'blocks': a.blocks, 'batch': a.batch,
                  'threads': a.threads, 'device': a.device, 'antialias': a.antialias,
                  'median_ms': round(ts[len(ts) // 2] * 1000, 1), 'min_ms': round(ts[0] * 1000, 1), 'img_per_s': round(a.batch / ts[len(ts) // 2], 3)}))
