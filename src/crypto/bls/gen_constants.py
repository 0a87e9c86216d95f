#!/usr/bin/env python3
"""Derives the BLS12-381 constants used by constants.hpp from the curve parameters alone, and checks
the endomorphism facts the subgroup tests rely on. Run it to re-derive or audit: it prints hex values
(canonical, big-endian) that constants.hpp spells out literally. Nothing here runs at build time."""

P = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab
R = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001
X = -0xd201000000010000  # the BLS parameter (negative)

G1 = (0x17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb,
      0x08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1)
G2 = ((0x024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8,
       0x13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e),
      (0x0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801,
       0x0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be))


class F2:
    def __init__(s, a, b=0):
        s.a, s.b = a % P, b % P

    def __add__(s, o): return F2(s.a + o.a, s.b + o.b)
    def __sub__(s, o): return F2(s.a - o.a, s.b - o.b)
    def __neg__(s): return F2(-s.a, -s.b)
    def __mul__(s, o):
        if isinstance(o, int):
            return F2(s.a * o, s.b * o)
        return F2(s.a * o.a - s.b * o.b, s.a * o.b + s.b * o.a)
    def __eq__(s, o): return s.a == o.a and s.b == o.b
    def __pow__(s, e):
        r, b = F2(1), s
        while e:
            if e & 1:
                r = r * b
            b, e = b * b, e >> 1
        return r
    def inv(s):
        n = pow(s.a * s.a + s.b * s.b, P - 2, P)
        return F2(s.a * n, -s.b * n)
    def frob(s): return F2(s.a, -s.b)
    def __repr__(s): return f"({s.a:#x}, {s.b:#x})"


def ec_add(p1, p2, zero, inv):
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    x1, y1 = p1
    x2, y2 = p2
    if x1 == x2:
        if y1 == y2 and y1 != zero:
            lam = (x1 * x1 * 3) * inv(y1 * 2)
        else:
            return None
    else:
        lam = (y2 - y1) * inv(x2 - x1)
    x3 = lam * lam - x1 - x2
    return (x3, lam * (x1 - x3) - y1)


def ec_mul(pt, k, zero, inv, neg):
    if k < 0:
        pt, k = (pt[0], neg(pt[1])), -k
    acc = None
    while k:
        if k & 1:
            acc = ec_add(acc, pt, zero, inv)
        pt, k = ec_add(pt, pt, zero, inv), k >> 1
    return acc


class Fp:
    """Fp wrapped so the generic EC code above works for G1 too."""
    def __init__(s, v): s.v = v % P
    def __add__(s, o): return Fp(s.v + o.v)
    def __sub__(s, o): return Fp(s.v - o.v)
    def __mul__(s, o): return Fp(s.v * (o if isinstance(o, int) else o.v))
    def __eq__(s, o): return s.v == o.v
    def inv(s): return Fp(pow(s.v, P - 2, P))


def limbs(v):
    return ", ".join(f"0x{(v >> (64 * i)) & (2**64 - 1):016x}" for i in range(6))


def main():
    xi = F2(1, 1)
    print("P limbs:", limbs(P))
    print("INV:", hex((-pow(P, -1, 2**64)) % 2**64))
    print("R mod p:", hex(2**384 % P))
    print("R^2 mod p limbs:", limbs(pow(2, 768, P)))
    print("2^256 * R^2 mod p (for 512-bit reduction): value", hex((2**256 * 2**384) % P))
    # Frobenius on the tower: w^(p^k) = w * xi^((p^k - 1)/6)
    for i in range(1, 6):
        print(f"gamma1_{i} = xi^({i}(p-1)/6):", xi ** (i * (P - 1) // 6))
    for i in range(1, 6):
        g = xi ** (i * (P * P - 1) // 6)
        assert g.b == 0
        print(f"gamma2_{i} = xi^({i}(p^2-1)/6):", hex(g.a))
    # psi = untwist o frobenius o twist on E'(Fp2)
    cx = (xi ** ((P - 1) // 3)).inv()
    cy = (xi ** ((P - 1) // 2)).inv()
    print("psi cx:", cx)
    print("psi cy:", cy)
    c2 = (xi ** ((P * P - 1) // 3)).inv()
    assert c2.b == 0 and (xi ** ((P * P - 1) // 2)) == F2(-1)
    print("psi2 cx (Fp):", hex(c2.a))

    def psi(pt):
        return (pt[0].frob() * cx, pt[1].frob() * cy)

    g2 = (F2(*G2[0]), F2(*G2[1]))
    inv2, neg2 = (lambda v: v.inv()), (lambda v: -v)
    assert psi(g2) == ec_mul(g2, X, F2(0), inv2, neg2), "psi(G2) != [x]G2"
    print("check: psi(G2) == [x]G2 ok")
    # G1: sigma(x, y) = (beta x, y), beta a primitive cube root of unity. Pick the beta whose eigenvalue
    # on G1 is -x^2 (Scott's membership test uses that one).
    g1 = (Fp(G1[0]), Fp(G1[1]))
    inv1, neg1 = (lambda v: v.inv()), (lambda v: Fp(-v.v))
    want = ec_mul(g1, -X * X, Fp(0), inv1, neg1)
    for e in ((P - 1) // 3, 2 * (P - 1) // 3):
        beta = pow(2, e, P)
        if beta == 1:
            continue
        if (Fp(beta * G1[0]), Fp(G1[1])) == want:
            print("beta (G1 endomorphism, eigenvalue -x^2):", hex(beta))
    print("(p+1)/4:", hex((P + 1) // 4))
    print("(p-3)/4:", hex((P - 3) // 4))
    print("(p-1)/2:", hex((P - 1) // 2))


if __name__ == "__main__":
    main()
