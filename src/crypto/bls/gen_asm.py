#!/usr/bin/env python3
"""Generates mont_x86_64.S: Fp and Fp2 multiplication for x86-64 with BMI2 (mulx) and ADX
(adcx/adox), which carry two independent carry chains so the multiplier never waits on a flag.

  python3 gen_asm.py > mont_x86_64.S

Exported (SysV ABI, all pointers to little-endian 64-bit limbs, Montgomery form, outputs < p, an
output may alias an input):
  venus_bls_mont_mul_adx(r[6], a[6], b[6])    r = a b / R mod p          (inputs < 2p)
  venus_bls_mont_sqr_adx(r[6], a[6])          r = a^2 / R mod p (input < 2p; 21 + 36 mulx)
  venus_bls_fp2_mul_adx(r[12], a[12], b[12])  r = a b in Fp2 = Fp[u]/(u^2+1) (inputs < p)
  venus_bls_fp2_sqr_adx(r[12], a[12])         r = a^2 in Fp2              (inputs < p)
  venus_bls_fp2_mul_x2_adx(r[24], a[12], b[12])  the product unreduced: two 768-bit coefficients
                                              (inputs < 2p; c0 in [0, p 2^384), c1 < 8 p^2)
  venus_bls_fp2_sqr_x2_adx(r[24], a[12])      the square unreduced (inputs < p; both < 2 p^2)
  venus_bls_fp2_redc_adx(r[12], t[24])        Montgomery reduction of both coefficients (< p 2^384)

Montgomery multiplication (operand scanning with interleaved reduction, as mont_mul_portable):
  for each limb b[i]:   T += a * b[i]          (low halves on the CF chain, high halves on OF)
                        m  = T[0] * (-1/p) mod 2^64
                        T  = (T + m * p) / 2^64 (T[0] becomes 0 and its register becomes the new top)
  then one conditional subtraction of p. The accumulator lives in 7 registers whose roles rotate by
  one every row, so no limb is ever moved. p < 2^381 keeps every row inside 7 limbs, with no extra
  carry word (inputs may be up to 2p).

Fp2 multiplication with lazy reduction (Karatsuba on double-width products):
  T0 = a0 b0, T1 = a1 b1, T2 = (a0 + a1)(b0 + b1)        three 384x384 -> 768-bit products
  c0 = redc(T0 - T1 (+ p 2^384 when negative)),  c1 = redc(T2 - T0 - T1)
  i.e. 3 x 36 + 2 x 36 = 180 mulx instead of 3 x 72 for three Montgomery products. Both reduced
  inputs are < p 2^384, so each Montgomery reduction ends below 2p and one subtraction finishes it.

Fp2 squaring: (a0 + a1)(a0 - a1) + 2 a0 a1 u, two Montgomery products in one call."""

ACC = ["%r8", "%r9", "%r10", "%r11", "%r12", "%r13", "%r14"]
LO, HI = "%rax", "%rbx"
P = ["0xb9feffffffffaaab", "0x1eabfffeb153ffff", "0x6730d2a0f6b0f624",
     "0x64774b84f38512bf", "0x4b1ba7b6434bacd7", "0x1a0111ea397fe69a"]
SAVED = ["%rbx", "%rbp", "%r12", "%r13", "%r14", "%r15"]


def prologue(e, name):
    e("    .globl " + name)
    e(f"    .type {name}, @function")
    e("    .p2align 5")
    e(f"{name}:")
    e("    .cfi_startproc")
    for r in SAVED:
        e(f"    pushq {r}")
        e("    .cfi_adjust_cfa_offset 8")
        e(f"    .cfi_rel_offset {r}, 0")


def epilogue(e, name, frame):
    if frame:
        e(f"    addq ${frame}, %rsp")
        e(f"    .cfi_adjust_cfa_offset -{frame}")
    for r in reversed(SAVED):
        e(f"    popq {r}")
        e("    .cfi_adjust_cfa_offset -8")
        e(f"    .cfi_restore {r}")
    e("    ret")
    e("    .cfi_endproc")
    e(f"    .size {name}, .-{name}")


def alloc(e, frame):
    e(f"    subq ${frame}, %rsp")
    e(f"    .cfi_adjust_cfa_offset {frame}")


def reduce_row(e, t):
    """m = t[0] * inv; t += m * p (t[6] must be 0 on entry); afterwards t[0] == 0."""
    e(f"    movq {t[0]}, %rdx")
    e(f"    imulq .Linv(%rip), %rdx")
    e(f"    xorl %eax, %eax")
    for j in range(6):
        e(f"    mulxq .Lp+{8 * j}(%rip), {LO}, {HI}")
        e(f"    adcxq {LO}, {t[j]}")
        e(f"    adoxq {HI}, {t[j + 1]}")
    e(f"    adcq $0, {t[6]}")


def final_sub(e, res, dst, off=0):
    """dst[off..] = res - p if that does not borrow, else res (res < 2p). Clobbers rax rbx rdx rbp r15
    and ACC[5] when it is not in res."""
    spare = [r for r in ["%rax", "%rbx", "%rdx", "%rbp", "%r15"] + ACC if r not in res]
    scratch = spare[:6]
    for j in range(6):
        e(f"    movq {res[j]}, {scratch[j]}")
        op = "subq" if j == 0 else "sbbq"
        e(f"    {op} .Lp+{8 * j}(%rip), {scratch[j]}")
    for j in range(6):
        e(f"    cmovcq {res[j]}, {scratch[j]}")
    for j in range(6):
        e(f"    movq {scratch[j]}, {off + 8 * j}({dst})")


def mont_core(e):
    """venus_bls_mont_core: rdi = r, rsi = a, rcx = b. Clobbers rax rbx rdx rbp r8-r15. Reads all of a and b before
    writing r."""
    e("    .p2align 4")
    e("    .type venus_bls_mont_core, @function  // local: named for profilers")
    e("venus_bls_mont_core:")
    for r in ACC:
        e(f"    xorq {r}, {r}")
    for i in range(6):
        t = [ACC[(i + j) % 7] for j in range(7)]
        e(f"    // row {i}: T += a * b[{i}]")
        e(f"    movq {8 * i}(%rcx), %rdx")
        e(f"    xorl %eax, %eax            // clears CF and OF")
        for j in range(6):
            e(f"    mulxq {8 * j}(%rsi), {LO}, {HI}")
            e(f"    adcxq {LO}, {t[j]}")
            e(f"    adoxq {HI}, {t[j + 1]}")
        e(f"    adcq $0, {t[6]}")
        e(f"    // m = T[0] * inv; T += m * p; drop T[0]")
        reduce_row(e, t)
    res = [ACC[(6 + j) % 7] for j in range(6)]
    e("    // conditional subtraction of p")
    final_sub(e, res, "%rdi")
    e("    ret")


def mul384(e):
    """venus_bls_mul384: rdi = dst[12] = a * b (no reduction), rsi = a, rcx = b. Clobbers rax rbx rdx r8-r14."""
    e("    .p2align 4")
    e("    .type venus_bls_mul384, @function  // local: named for profilers")
    e("venus_bls_mul384:")
    for r in ACC:
        e(f"    xorq {r}, {r}")
    for i in range(6):
        t = [ACC[(i + j) % 7] for j in range(7)]
        e(f"    movq {8 * i}(%rcx), %rdx")
        if i > 0:
            e(f"    xorl {t[6]}d, {t[6]}d           // new top limb; clears CF and OF")
        for j in range(6):
            e(f"    mulxq {8 * j}(%rsi), {LO}, {HI}")
            e(f"    adcxq {LO}, {t[j]}")
            e(f"    adoxq {HI}, {t[j + 1]}")
        e(f"    adcq $0, {t[6]}")
        e(f"    movq {t[0]}, {8 * i}(%rdi)")
    t = [ACC[(5 + j) % 7] for j in range(7)]
    for j in range(1, 7):
        e(f"    movq {t[j]}, {8 * (5 + j)}(%rdi)")
    e("    ret")


def sqr384(e):
    """venus_bls_sqr384: rdi = dst[12] = a^2 (no reduction), rsi = a. Clobbers rax rbx rcx rdx r8-r14.
    The 15 cross products a_i a_j (i < j) accumulate row by row in the same rotating 7-register window
    as venus_bls_mul384 (limb i is final once row i - 1 is done), then one pass doubles them on the CF
    chain while the six squares a_i^2 go in on the OF chain: 21 mulx instead of 36."""
    e("    .p2align 4")
    e("    .type venus_bls_sqr384, @function  // local: named for profilers")
    e("venus_bls_sqr384:")
    for r in ACC:
        e(f"    xorq {r}, {r}")
    for i in range(5):
        t = [ACC[(i + j) % 7] for j in range(7)]
        e(f"    movq {8 * i}(%rsi), %rdx")
        if i > 0:
            e(f"    xorl {t[6]}d, {t[6]}d           // new top limb; clears CF and OF")
        for j in range(i + 1, 6):
            e(f"    mulxq {8 * j}(%rsi), {LO}, {HI}")
            e(f"    adcxq {LO}, {t[j]}")
            e(f"    adoxq {HI}, {t[j + 1]}")
        e(f"    adcq $0, {t[6]}")
        e(f"    movq {t[0]}, {8 * i}(%rdi)")
    t = [ACC[(4 + j) % 7] for j in range(7)]
    for j in range(1, 7):
        e(f"    movq {t[j]}, {8 * (4 + j)}(%rdi)")
    e(f"    movq $0, 88(%rdi)")
    e("    // dst = 2 dst (CF chain) + sum a_i^2 2^(128 i) (OF chain); mulx and mov leave the flags alone")
    e("    xorl %eax, %eax")
    for i in range(6):
        e(f"    movq {8 * i}(%rsi), %rdx")
        e(f"    mulxq %rdx, %rcx, %rbx")
        e(f"    movq {16 * i}(%rdi), %r8")
        e(f"    movq {16 * i + 8}(%rdi), %r9")
        e(f"    adcxq %r8, %r8")
        e(f"    adoxq %rcx, %r8")
        e(f"    adcxq %r9, %r9")
        e(f"    adoxq %rbx, %r9")
        e(f"    movq %r8, {16 * i}(%rdi)")
        e(f"    movq %r9, {16 * i + 8}(%rdi)")
    e("    ret")


def redc(e):
    """venus_bls_redc: rdi = dst[6] = T / R mod p for T[12] < p R at rsi. Clobbers rax rbx rdx rbp r8-r15."""
    e("    .p2align 4")
    e("    .type venus_bls_redc, @function  // local: named for profilers")
    e("venus_bls_redc:")
    for j in range(6):
        e(f"    movq {8 * j}(%rsi), {ACC[j]}")
    e(f"    xorq {ACC[6]}, {ACC[6]}")
    for i in range(6):
        t = [ACC[(i + j) % 7] for j in range(7)]
        reduce_row(e, t)
    res = [ACC[(6 + j) % 7] for j in range(6)]
    e("    // + the high half (T_low + m p) / R <= p and T_high < p: the sum is below 2p")
    for j in range(6):
        op = "addq" if j == 0 else "adcq"
        e(f"    {op} {48 + 8 * j}(%rsi), {res[j]}")
    final_sub(e, res, "%rdi")
    e("    ret")


def add_nr(e, dst, a, b):
    """dst = a + b over 6 limbs (both < 2^382: no carry out). dst/a/b are memory operands."""
    regs = ["%rax", "%rbx", "%rdx", "%rbp", "%r8", "%r9"]
    for j in range(6):
        e(f"    movq {a(j)}, {regs[j]}")
    for j in range(6):
        op = "addq" if j == 0 else "adcq"
        e(f"    {op} {b(j)}, {regs[j]}")
    for j in range(6):
        e(f"    movq {regs[j]}, {dst(j)}")


def fp2_mul(e, name, lazy):
    """r = a b in Fp2. lazy: r[24] receives the two double-width coefficients unreduced (c0 in
    [0, p 2^384), c1 = a0 b1 + a1 b0 < 8 p^2); else r[12] gets both reduced."""
    # frame: 0 r, 8 a, 16 b, 24 SA[6], 72 SB[6], 120 T0[12], 216 T1[12], 312 T2[12]
    SA, SB, T0, T1, T2, FRAME = 24, 72, 120, 216, 312, 408
    prologue(e, name)
    alloc(e, FRAME)
    e("    movq %rdi, 0(%rsp)")
    e("    movq %rsi, 8(%rsp)")
    e("    movq %rdx, 16(%rsp)")
    e("    movq %rdx, %rcx")
    e("    // SA = a0 + a1, SB = b0 + b1 (unreduced, < 2p)")
    add_nr(e, lambda j: f"{SA + 8 * j}(%rsp)", lambda j: f"{8 * j}(%rsi)", lambda j: f"{48 + 8 * j}(%rsi)")
    add_nr(e, lambda j: f"{SB + 8 * j}(%rsp)", lambda j: f"{8 * j}(%rcx)", lambda j: f"{48 + 8 * j}(%rcx)")
    e("    // T0 = a0 b0")
    e(f"    leaq {T0}(%rsp), %rdi")
    e("    call venus_bls_mul384")
    e("    // T1 = a1 b1")
    e(f"    leaq {T1}(%rsp), %rdi")
    e("    movq 8(%rsp), %rsi")
    e("    addq $48, %rsi")
    e("    movq 16(%rsp), %rcx")
    e("    addq $48, %rcx")
    e("    call venus_bls_mul384")
    e("    // T2 = SA SB")
    e(f"    leaq {T2}(%rsp), %rdi")
    e(f"    leaq {SA}(%rsp), %rsi")
    e(f"    leaq {SB}(%rsp), %rcx")
    e("    call venus_bls_mul384")
    e("    movq 0(%rsp), %rdi")
    # where c1 (= T2 - T0 - T1) and c0 (= T0 - T1 mod p 2^384) go
    c1_at = (lambda j: f"{96 + 8 * j}(%rdi)") if lazy else (lambda j: f"{T2 + 8 * j}(%rsp)")
    c0_at = (lambda j: f"{8 * j}(%rdi)") if lazy else (lambda j: f"{T0 + 8 * j}(%rsp)")
    e("    // c1 = T2 - (T0 + T1) (never negative: the difference is a0 b1 + a1 b0)")
    regs = ["%rax", "%rbx", "%rdx", "%rbp", "%r8", "%r9", "%r10", "%r11", "%r12", "%r13", "%r14", "%r15"]
    for j in range(12):
        e(f"    movq {T0 + 8 * j}(%rsp), {regs[j]}")
    for j in range(12):
        op = "addq" if j == 0 else "adcq"
        e(f"    {op} {T1 + 8 * j}(%rsp), {regs[j]}")
    # T0 + T1 < 8 p^2 < 2^765: no carry out of 12 limbs
    e("    movq %rax, %rsi")
    e(f"    movq {T2}(%rsp), %rax")
    e("    subq %rsi, %rax")
    e(f"    movq %rax, {c1_at(0)}")
    for j in range(1, 12):
        e(f"    movq {T2 + 8 * j}(%rsp), %rax")
        e(f"    sbbq {regs[j]}, %rax")
        e(f"    movq %rax, {c1_at(j)}")
    e("    // c0 = T0 - T1; when that borrows, add p 2^384")
    for j in range(12):
        e(f"    movq {T0 + 8 * j}(%rsp), {regs[j]}")
    for j in range(12):
        op = "subq" if j == 0 else "sbbq"
        e(f"    {op} {T1 + 8 * j}(%rsp), {regs[j]}")
    e("    sbbq %rsi, %rsi            // all ones on borrow")
    for j in range(6):
        e(f"    movq {regs[j]}, {c0_at(j)}")
    for j in range(6):  # p & mask, computed before the carry chain (and clears CF)
        e(f"    movq .Lp+{8 * j}(%rip), {regs[j]}")
        e(f"    andq %rsi, {regs[j]}")
    for j in range(6):
        op = "addq" if j == 0 else "adcq"
        e(f"    {op} {regs[j]}, {regs[6 + j]}")
    for j in range(6):
        e(f"    movq {regs[6 + j]}, {c0_at(6 + j)}")
    if not lazy:
        e("    // c0 = redc(T0), c1 = redc(T2)")
        e("    movq 0(%rsp), %rdi")
        e(f"    leaq {T0}(%rsp), %rsi")
        e("    call venus_bls_redc")
        e("    movq 0(%rsp), %rdi")
        e("    addq $48, %rdi")
        e(f"    leaq {T2}(%rsp), %rsi")
        e("    call venus_bls_redc")
    epilogue(e, name, FRAME)


def fp2_redc(e, name):
    """r[12] = (redc(t[0..11]), redc(t[12..23])) for t_i < p 2^384."""
    prologue(e, name)
    alloc(e, 24)
    e("    movq %rdi, 0(%rsp)")
    e("    movq %rsi, 8(%rsp)")
    e("    call venus_bls_redc")
    e("    movq 0(%rsp), %rdi")
    e("    addq $48, %rdi")
    e("    movq 8(%rsp), %rsi")
    e("    addq $96, %rsi")
    e("    call venus_bls_redc")
    epilogue(e, name, 24)


def fp2_sqr(e, name, lazy):
    """r = a^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u. lazy: r[24] gets both coefficients unreduced
    (each < 2 p^2); else r[12] gets them reduced."""
    # frame: 0 r, 8 a, 16 S[6], 64 D[6], 112 DD[6]
    S, D, DD, FRAME = 16, 64, 112, 160
    core = "venus_bls_mul384" if lazy else "venus_bls_mont_core"
    prologue(e, name)
    alloc(e, FRAME)
    e("    movq %rdi, 0(%rsp)")
    e("    movq %rsi, 8(%rsp)")
    e("    // S = a0 + a1, DD = a0 + a0 (unreduced, < 2p)")
    add_nr(e, lambda j: f"{S + 8 * j}(%rsp)", lambda j: f"{8 * j}(%rsi)", lambda j: f"{48 + 8 * j}(%rsi)")
    add_nr(e, lambda j: f"{DD + 8 * j}(%rsp)", lambda j: f"{8 * j}(%rsi)", lambda j: f"{8 * j}(%rsi)")
    e("    // D = a0 - a1 mod p")
    dr = ["%rax", "%rbx", "%rdx", "%rbp", "%r8", "%r9"]
    for j in range(6):
        e(f"    movq {8 * j}(%rsi), {dr[j]}")
    for j in range(6):
        op = "subq" if j == 0 else "sbbq"
        e(f"    {op} {48 + 8 * j}(%rsi), {dr[j]}")
    e("    sbbq %rcx, %rcx            // all ones on borrow")
    pm = ["%r10", "%r11", "%r12", "%r13", "%r14", "%r15"]
    for j in range(6):  # p & mask, computed before the carry chain (and clears CF)
        e(f"    movq .Lp+{8 * j}(%rip), {pm[j]}")
        e(f"    andq %rcx, {pm[j]}")
    for j in range(6):
        op = "addq" if j == 0 else "adcq"
        e(f"    {op} {pm[j]}, {dr[j]}")
    for j in range(6):
        e(f"    movq {dr[j]}, {D + 8 * j}(%rsp)")
    e("    // c0 = S D (a0 is no longer needed: r may alias a)")
    e("    movq 0(%rsp), %rdi")
    e(f"    leaq {S}(%rsp), %rsi")
    e(f"    leaq {D}(%rsp), %rcx")
    e(f"    call {core}")
    e("    // c1 = DD a1")
    e("    movq 0(%rsp), %rdi")
    e(f"    addq ${96 if lazy else 48}, %rdi")
    e(f"    leaq {DD}(%rsp), %rsi")
    e("    movq 8(%rsp), %rcx")
    e("    addq $48, %rcx")
    e(f"    call {core}")
    epilogue(e, name, FRAME)


def main():
    out = []
    e = out.append
    e("// Generated by gen_asm.py: do not edit. Fp / Fp2 multiplication mod the BLS12-381 prime.")
    e("// See gen_asm.py for the algorithms. Needs BMI2 and ADX.")
    e("    .section .rodata")
    e("    .p2align 5")
    e(".Lp:")
    for limb in P:
        e(f"    .quad {limb}")
    e(".Linv:")
    e("    .quad 0x89f3fffcfffcfffd")
    e("    .text")
    mont_core(e)
    mul384(e)
    sqr384(e)
    redc(e)

    # ---- venus_bls_mont_mul_adx(r, a, b) ----
    name = "venus_bls_mont_mul_adx"
    prologue(e, name)
    e("    movq %rdx, %rcx            // b: rdx is mulx's implicit operand")
    e("    call venus_bls_mont_core")
    epilogue(e, name, 0)

    # ---- venus_bls_mont_sqr_adx(r, a) ----
    name = "venus_bls_mont_sqr_adx"
    prologue(e, name)
    alloc(e, 104)
    e("    movq %rdi, 96(%rsp)")
    e("    movq %rsp, %rdi")
    e("    call venus_bls_sqr384")
    e("    movq 96(%rsp), %rdi")
    e("    movq %rsp, %rsi")
    e("    call venus_bls_redc")
    epilogue(e, name, 104)

    fp2_mul(e, "venus_bls_fp2_mul_adx", False)
    fp2_mul(e, "venus_bls_fp2_mul_x2_adx", True)
    fp2_redc(e, "venus_bls_fp2_redc_adx")

    fp2_sqr(e, "venus_bls_fp2_sqr_adx", False)
    fp2_sqr(e, "venus_bls_fp2_sqr_x2_adx", True)
    e('    .section .note.GNU-stack,"",@progbits')
    print("\n".join(out))


if __name__ == "__main__":
    main()
