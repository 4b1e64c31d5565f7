"""An independent PyTorch implementation of the s4-kws classifier (DESIGN.md §2), written from
the design's formulas and the state-spaces reference s4d.py, with the module names of the
state dict. Tests use it to check the engine's parity with PyTorch itself."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class S4DKernel(nn.Module):
    def __init__(self, H, N):
        super().__init__()
        log_dt = torch.rand(H) * (math.log(0.1) - math.log(0.001)) + math.log(0.001)
        C = torch.randn(H, N // 2, dtype=torch.cfloat)
        self.C = nn.Parameter(torch.view_as_real(C))
        self.log_dt = nn.Parameter(log_dt)
        self.log_A_real = nn.Parameter(torch.log(0.5 * torch.ones(H, N // 2)))
        self.A_imag = nn.Parameter(math.pi * torch.arange(N // 2).float().repeat(H, 1))

    def forward(self, L):
        dt = torch.exp(self.log_dt)
        C = torch.view_as_complex(self.C)
        A = -torch.exp(self.log_A_real) + 1j * self.A_imag
        dtA = A * dt.unsqueeze(-1)
        K = dtA.unsqueeze(-1) * torch.arange(L, device=A.device)
        C = C * (torch.exp(dtA) - 1.0) / A
        return 2 * torch.einsum("hn,hnl->hl", C, torch.exp(K)).real


class S4D(nn.Module):
    def __init__(self, H, N):
        super().__init__()
        self.D = nn.Parameter(torch.randn(H))
        self.kernel = S4DKernel(H, N)
        self.output_linear = nn.Sequential(nn.Conv1d(H, 2 * H, kernel_size=1), nn.GLU(dim=-2))

    def forward(self, u):
        L = u.size(-1)
        k = self.kernel(L)
        k_f = torch.fft.rfft(k, n=2 * L)
        u_f = torch.fft.rfft(u, n=2 * L)
        y = torch.fft.irfft(u_f * k_f, n=2 * L)[..., :L]
        y = y + u * self.D.unsqueeze(-1)
        return self.output_linear(F.gelu(y))


class S4Classifier(nn.Module):
    def __init__(self, d_input=1, d_state=64, d_model=128, n_layers=3, downsample=160, n_classes=10,
                 prenorm=False, **_):
        super().__init__()
        self.prenorm = prenorm
        self.encoder = nn.Conv1d(d_input, d_model, kernel_size=downsample, stride=downsample)
        self.s4_layers = nn.ModuleList([S4D(d_model, d_state) for _ in range(n_layers)])
        self.norms = nn.ModuleList([nn.LayerNorm(d_model) for _ in range(n_layers)])
        self.decoder = nn.Linear(d_model, n_classes)

    def forward(self, x):
        x = self.encoder(x)
        for layer, norm in zip(self.s4_layers, self.norms):
            z = x
            if self.prenorm:
                z = norm(z.transpose(-1, -2)).transpose(-1, -2)
            z = layer(z)
            x = z + x
            if not self.prenorm:
                x = norm(x.transpose(-1, -2)).transpose(-1, -2)
        return self.decoder(x.mean(dim=-1))


def perturb(model, generator):
    """Moves every parameter off its initial value so parity cannot pass by symmetry
    (LayerNorm weight 1 / bias 0, A = -1/2 + i pi n, ...)."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.add_(0.1 * torch.randn(p.shape, generator=generator))
