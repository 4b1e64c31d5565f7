"""PyTorch builds of the state-spaces S4 family as s4scope loads it (DESIGN.md §12), written from the
S4 / S4D papers with the module names of the standalone code (models/s4/s4.py's S4Block > FFTConv >
SSMKernelDiag / SSMKernelDPLR, s4d.py's S4D) and example.py's S4Model backbone, plus the card's
strided Conv1d encoder. The Cauchy kernel here is the textbook form (resolvent at z = 2(1-w)/(1+w));
the engine uses a rescaled one, so the two are independent.

usage: s4_family_reference.py OUTDIR CASE [CASE ...]
writes OUTDIR/CASE_config.json, CASE.pt (torch.save of the float32 state dict), CASE.clip.f32 and
CASE.logits.f32 (the logits of the clip, computed in float64)."""
import copy
import json
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


def transform(p, name):
    return {"none": lambda t: t, "exp": torch.exp, "relu": lambda t: F.relu(t) + 1e-4,
            "sigmoid": torch.sigmoid, "softplus": F.softplus}[name](p)


def inverse(v, name):
    v = torch.clamp(v, min=1e-4)
    return {"none": lambda t: t, "exp": torch.log, "relu": lambda t: t,
            "sigmoid": torch.logit, "softplus": lambda t: torch.log(torch.expm1(t))}[name](v)


def c2r(z):
    return torch.view_as_real(z.resolve_conj()).contiguous()


def r2c(r):
    return torch.view_as_complex(r.contiguous())


class SSMKernel(nn.Module):
    """SSMKernelDiag (mode diag) or SSMKernelDPLR (mode dplr), parameter names as in s4.py."""

    def __init__(self, H, N, o, g):
        super().__init__()
        self.o, self.H = o, H
        N2, S = N // 2, o.get("n_ssm") or H
        self.repeat = H // S
        tied = o.get("dt_tie", True)
        dt = torch.exp(torch.rand(H, 1 if tied else N2, generator=g) * (math.log(0.1) - math.log(0.001)) + math.log(0.001))
        self.inv_dt = nn.Parameter(inverse(dt, o["dt_transform"]))
        self.C = nn.Parameter(0.5 * torch.randn(1, H, N2, 2, generator=g))
        self.B = nn.Parameter(0.3 * torch.randn(1, S, N2, 2, generator=g) + torch.tensor([1.0, 0.0]))
        re = 0.5 + 0.3 * torch.rand(S, N2, generator=g)
        im = math.pi * torch.arange(N2).float().repeat(S, 1) + 0.2 * torch.rand(S, N2, generator=g)
        if o["imag_transform"] == "sigmoid":
            im = 0.1 + 0.8 * torch.rand(S, N2, generator=g)
        self.A_real = nn.Parameter(inverse(re, o["real_transform"]))
        self.A_imag = nn.Parameter(im if o["imag_transform"] == "none" else inverse(im, o["imag_transform"]))
        if o["mode"] == "dplr":
            self.P = nn.Parameter(0.3 * torch.randn(o.get("rank", 1), S, N2, 2, generator=g))
            self.register_buffer("l_kernel", torch.tensor(0))

    def params(self, rate):
        o = self.o
        dt = transform(self.inv_dt, o["dt_transform"]) * rate
        A = -transform(self.A_real, o["real_transform"]) - 1j * transform(self.A_imag, o["imag_transform"])
        A = A.repeat(self.repeat, 1)
        B = r2c(self.B)[0].repeat(self.repeat, 1)
        C = r2c(self.C)[0]
        return dt, A, B, C

    def diag(self, L, rate):
        dt, A, B, C = self.params(rate)
        dtA = dt * A
        if self.o["disc"] == "zoh":
            Ct, dA = C * B * (torch.exp(dtA) - 1) / A, torch.exp(dtA)
        else:
            Ct, dA = C * B * dt / (1 - dtA / 2), (1 + dtA / 2) / (1 - dtA / 2)
        powers = torch.exp(torch.log(dA).unsqueeze(-1) * torch.arange(L, dtype=dt.dtype))
        return 2 * torch.einsum("hn,hnl->hl", Ct, powers).real

    def low_rank(self):
        return r2c(self.P).repeat(1, self.repeat, 1)  # (R H N2)

    def state_matrix(self):
        """The bilinear discretisation of diag(A, conj A) - P P^* on the full state (rate 1)."""
        dt, A, _, _ = self.params(1.0)
        P = self.low_rank()
        Af = torch.cat([A, A.conj()], -1)
        Pf = torch.cat([P, P.conj()], -1)
        M = torch.diag_embed(Af) - torch.einsum("rhn,rhm->hnm", Pf, Pf.conj())
        I = torch.eye(M.size(-1), dtype=M.dtype).expand_as(M)
        h = (dt / 2).unsqueeze(-1)
        return torch.linalg.solve(I - h * M, I + h * M)

    @torch.no_grad()
    def setup_C(self, L):
        lk = int(self.l_kernel.item())
        doubling = lk > 0
        steps = lk if doubling else L
        C = r2c(self.C)[0]
        Cf = torch.cat([C, C.conj()], -1)
        prod = torch.einsum("hn,hnm->hm", Cf, torch.linalg.matrix_power(self.state_matrix(), steps))
        Cf = Cf + prod if doubling else Cf - prod
        self.C.copy_(c2r(Cf[:, : C.size(-1)].unsqueeze(0)))
        self.l_kernel.fill_(2 * lk if doubling else L)

    def dplr(self, L, rate):
        lmax = self.o.get("l_max") or 0
        if self.l_kernel.item() == 0 and lmax > 0:
            self.setup_C(lmax)
        while round(rate * L) > self.l_kernel.item():
            self.setup_C(round(rate * L))
        nodes = round(self.l_kernel.item() / rate)
        dt, A, B, C = self.params(rate)
        P = self.low_rank()
        Q = P.conj()
        omega = torch.exp(-2j * math.pi * torch.arange(nodes // 2 + 1, dtype=dt.dtype) / nodes)
        z = 2 * (1 - omega) / (1 + omega)
        w = dt * A

        def resolvent(left, right):  # sum over the full state of left right dt / (z - dt A)
            v = (left * right * dt).unsqueeze(-1)
            return (v / (z - w.unsqueeze(-1)) + v.conj() / (z - w.conj().unsqueeze(-1))).sum(-2)

        R = P.size(0)
        kCB = resolvent(C, B)
        kCP = torch.stack([resolvent(C, P[r]) for r in range(R)])
        kQB = torch.stack([resolvent(Q[r], B) for r in range(R)])
        kQP = torch.stack([torch.stack([resolvent(Q[a], P[b]) for b in range(R)]) for a in range(R)])  # (R R H F)
        M = torch.eye(R, dtype=kQP.dtype).view(R, R, 1, 1) + kQP
        Minv = torch.linalg.inv(M.permute(2, 3, 0, 1)).permute(2, 3, 0, 1)
        kf = kCB - torch.einsum("ahf,abhf,bhf->hf", kCP, Minv, kQB)
        kf = kf * 2 / (1 + omega)
        return torch.fft.irfft(kf, n=nodes)[..., :L]

    def forward(self, L, rate=1.0):
        return self.dplr(L, rate) if self.o["mode"] == "dplr" else self.diag(L, rate)


class FFTConv(nn.Module):
    def __init__(self, H, N, o, g):
        super().__init__()
        self.o = o
        self.D = nn.Parameter(torch.randn(1, H, generator=g))
        self.kernel = SSMKernel(H, N, o, g)

    def forward(self, x, rate=1.0):  # (B H L)
        L = x.size(-1)
        lmax = self.o.get("l_max") or 0
        lk = L if not lmax else min(L, round(lmax / rate))
        k = self.kernel(lk, rate)
        n = k.size(-1) + L
        y = torch.fft.irfft(torch.fft.rfft(x, n=n) * torch.fft.rfft(k, n=n), n=n)[..., :L]
        return F.gelu(y + x * self.D.view(1, -1, 1))


class S4Block(nn.Module):
    def __init__(self, H, N, o, g):
        super().__init__()
        self.layer = FFTConv(H, N, o, g)
        self.output_linear = nn.Sequential(nn.Linear(H, 2 * H), nn.GLU(dim=-1))

    def forward(self, x, rate=1.0):
        return self.output_linear(self.layer(x, rate).transpose(-1, -2)).transpose(-1, -2)


class S4DKernel(nn.Module):
    def __init__(self, H, N, g):
        super().__init__()
        self.log_dt = nn.Parameter(torch.rand(H, generator=g) * (math.log(0.1) - math.log(0.001)) + math.log(0.001))
        self.C = nn.Parameter(0.7 * torch.randn(H, N // 2, 2, generator=g))
        self.log_A_real = nn.Parameter(torch.log(0.5 + 0.3 * torch.rand(H, N // 2, generator=g)))
        self.A_imag = nn.Parameter(math.pi * torch.arange(N // 2).float().repeat(H, 1) + 0.2 * torch.rand(H, N // 2, generator=g))

    def forward(self, L, rate=1.0):
        dt = torch.exp(self.log_dt).unsqueeze(-1) * rate
        A = -torch.exp(self.log_A_real) + 1j * self.A_imag
        dtA = A * dt
        C = r2c(self.C) * (torch.exp(dtA) - 1.0) / A
        return 2 * torch.einsum("hn,hnl->hl", C, torch.exp(dtA.unsqueeze(-1) * torch.arange(L, dtype=dt.dtype))).real


class S4D(nn.Module):
    def __init__(self, H, N, g):
        super().__init__()
        self.D = nn.Parameter(torch.randn(H, generator=g))
        self.kernel = S4DKernel(H, N, g)
        self.output_linear = nn.Sequential(nn.Conv1d(H, 2 * H, kernel_size=1), nn.GLU(dim=-2))

    def forward(self, u, rate=1.0):
        L = u.size(-1)
        k = self.kernel(L, rate)
        y = torch.fft.irfft(torch.fft.rfft(u, n=2 * L) * torch.fft.rfft(k, n=2 * L), n=2 * L)[..., :L]
        return self.output_linear(F.gelu(y + u * self.D.unsqueeze(-1)))


class Backbone(nn.Module):
    """The card's classifier (encoder conv) or example.py's S4Model (encoder linear) on (B,1,T)."""

    def __init__(self, c, g):
        super().__init__()
        H, N = c["d_model"], c["d_state"]
        self.linear = c["encoder"] == "linear"
        self.prenorm = c["prenorm"]
        if self.linear:
            self.encoder = nn.Linear(1, H)
        else:
            self.encoder = nn.Conv1d(1, H, kernel_size=c["downsample"], stride=c["downsample"])
        layer = (lambda: S4Block(H, N, c, g)) if c["layer"] == "s4block" else (lambda: S4D(H, N, g))
        self.s4_layers = nn.ModuleList([layer() for _ in range(c["n_layers"])])
        self.norms = nn.ModuleList([nn.LayerNorm(H) for _ in range(c["n_layers"])])
        self.decoder = nn.Linear(H, c["n_classes"])
        with torch.no_grad():
            for m in list(self.norms) + [self.encoder, self.decoder]:
                for p in m.parameters():
                    p.add_(0.1 * torch.randn(p.shape, generator=g))

    def forward(self, x, rate=1.0):
        x = self.encoder(x.transpose(-1, -2)).transpose(-1, -2) if self.linear else self.encoder(x)
        for layer, norm in zip(self.s4_layers, self.norms):
            z = norm(x.transpose(-1, -2)).transpose(-1, -2) if self.prenorm else x
            x = layer(z, rate) + x
            if not self.prenorm:
                x = norm(x.transpose(-1, -2)).transpose(-1, -2)
        return self.decoder(x.mean(-1))


BASE = {"d_input": 1, "d_state": 8, "d_model": 16, "n_layers": 2, "n_classes": 10, "prenorm": False,
        "disc": "zoh", "real_transform": "exp", "imag_transform": "none", "dt_transform": "exp", "mode": "diag"}

CASES = {
    # the card's strided encoder with s4.py layers
    "card_diag": dict(encoder="conv", downsample=160, seq_len=16000, layer="s4block", mode="diag", disc="bilinear",
                      real_transform="softplus", dt_transform="softplus"),
    "card_dplr": dict(encoder="conv", downsample=160, seq_len=16000, layer="s4block", mode="dplr", prenorm=True),
    # example.py's backbone (Linear encoder, every sample)
    "example_s4d": dict(encoder="linear", downsample=1, seq_len=1200, layer="s4d", prenorm=True),
    "example_diag": dict(encoder="linear", downsample=1, seq_len=900, layer="s4block", mode="diag", n_ssm=4,
                         real_transform="relu", imag_transform="softplus", dt_tie=False),
    "example_sigmoid": dict(encoder="linear", downsample=1, seq_len=300, layer="s4block", mode="diag", disc="zoh",
                            real_transform="sigmoid", imag_transform="sigmoid", dt_transform="exp"),
    "example_none": dict(encoder="linear", downsample=1, seq_len=300, layer="s4block", mode="diag", disc="bilinear",
                         real_transform="none"),
    # DPLR whose C was already set up at a shorter length (l_kernel 512): the engine doubles it
    "example_dplr": dict(encoder="linear", downsample=1, seq_len=1000, layer="s4block", mode="dplr", rank=2,
                         prenorm=True, warm=512),
    "example_dplr_lmax": dict(encoder="linear", downsample=1, seq_len=700, layer="s4block", mode="dplr",
                              l_max=500),
    # raw audio at 16 kHz through example.py's backbone: the FFT path at L = 16000
    "example_long": dict(encoder="linear", downsample=1, seq_len=16000, layer="s4d", n_layers=2),
}


def main():
    out, names = sys.argv[1], sys.argv[2:]
    for name in names:
        c = dict(BASE)
        c.update(CASES[name])
        warm = c.pop("warm", 0)
        g = torch.Generator().manual_seed(sum(map(ord, name)))
        torch.manual_seed(sum(map(ord, name)))  # nn.Linear / Conv1d / LayerNorm draw from the global generator
        model = Backbone(c, g).eval()
        T = c["seq_len"]
        t = torch.arange(T, dtype=torch.float64)
        clip = (0.4 * torch.sin(0.013 * t) * torch.sin(0.0021 * t) + 0.2 * torch.sin(0.37 * t + 0.5)
                + 0.05 * torch.randn(T, generator=g, dtype=torch.float64)).float()
        if warm:
            with torch.no_grad():
                model(torch.zeros(1, 1, warm))  # sets C~ and l_kernel as a trained model would have them
        torch.save(model.state_dict(), f"{out}/{name}.pt")
        with open(f"{out}/{name}_config.json", "w") as f:
            json.dump(c, f, indent=2)
        clip.numpy().tofile(f"{out}/{name}.clip.f32")
        reference = copy.deepcopy(model).double()
        with torch.no_grad():
            logits = reference(clip.double().view(1, 1, -1))
        logits.float().numpy().tofile(f"{out}/{name}.logits.f32")
        # The same model at another rate (state-spaces' rate): kernels with dt scaled
        with torch.no_grad():
            scaled = copy.deepcopy(model).double()(clip.double().view(1, 1, -1), rate=0.5)
        scaled.float().numpy().tofile(f"{out}/{name}.logits_rate_half.f32")


if __name__ == "__main__":
    main()
