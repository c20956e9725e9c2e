// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <string.h>
#include "cbpf.h"

static int insn_ok(const struct sock_filter *f, size_t pc, size_t len)
{
	uint16_t code = f->code;

	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:
		/* aligned, inside seccomp_data */
		return !(f->k & 3) && f->k < sizeof(struct seccomp_data);
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_ALU | BPF_NEG:
		return 1;
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
		return f->k < BPF_MEMWORDS;
	case BPF_ALU | BPF_DIV | BPF_K:
		return f->k != 0;
	case BPF_ALU | BPF_ADD | BPF_K: case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_K: case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_K: case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_AND | BPF_K: case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_K: case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_K: case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_X: case BPF_ALU | BPF_RSH | BPF_X:
		return 1;
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_K:
		return f->k < 32;
	case BPF_JMP | BPF_JA:
		return f->k < len - pc - 1;
	case BPF_JMP | BPF_JEQ | BPF_K: case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K: case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K: case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K: case BPF_JMP | BPF_JSET | BPF_X:
		return pc + 1 + f->jt < len && pc + 1 + f->jf < len;
	}
	/* seccomp_check_filter() refuses what it does not list: BPF_MOD
	 * among them, and every load but LD|W|ABS, LEN, IMM and MEM */
	return 0;
}

int cbpf_check(const struct sock_filter *prog, size_t len, size_t *bad_pc)
{
	if (!len || len > CBPF_MAX_INSNS) {
		*bad_pc = 0;
		return -EINVAL;
	}
	for (size_t pc = 0; pc < len; pc++) {
		if (!insn_ok(&prog[pc], pc, len)) {
			*bad_pc = pc;
			return -EINVAL;
		}
	}
	/* the last instruction must return */
	if (BPF_CLASS(prog[len - 1].code) != BPF_RET) {
		*bad_pc = len - 1;
		return -EINVAL;
	}
	return 0;
}

uint32_t cbpf_run(const struct sock_filter *prog, size_t len, const struct seccomp_data *d, size_t *last_pc)
{
	uint32_t A = 0, X = 0, mem[BPF_MEMWORDS] = {};
	unsigned char data[sizeof(*d)];

	memcpy(data, d, sizeof(*d));
	/* jumps only go forward, so pc strictly grows: the loop ends */
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &prog[pc];
		uint32_t k = f->k, src = BPF_SRC(f->code) == BPF_X ? X : k;

		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (k > sizeof(data) - 4) /* not k + 4: that wraps for k near 2^32 */
				return SECCOMP_RET_KILL_PROCESS;
			memcpy(&A, data + k, 4);
			break;
		case BPF_LD | BPF_W | BPF_LEN: A = sizeof(data); break;
		case BPF_LDX | BPF_W | BPF_LEN: X = sizeof(data); break;
		case BPF_LD | BPF_IMM: A = k; break;
		case BPF_LDX | BPF_IMM: X = k; break;
		case BPF_LD | BPF_MEM: A = mem[k % BPF_MEMWORDS]; break;
		case BPF_LDX | BPF_MEM: X = mem[k % BPF_MEMWORDS]; break;
		case BPF_ST: mem[k % BPF_MEMWORDS] = A; break;
		case BPF_STX: mem[k % BPF_MEMWORDS] = X; break;
		case BPF_MISC | BPF_TAX: X = A; break;
		case BPF_MISC | BPF_TXA: A = X; break;
		case BPF_ALU | BPF_NEG: A = -A; break;
		case BPF_ALU | BPF_ADD | BPF_K: case BPF_ALU | BPF_ADD | BPF_X: A += src; break;
		case BPF_ALU | BPF_SUB | BPF_K: case BPF_ALU | BPF_SUB | BPF_X: A -= src; break;
		case BPF_ALU | BPF_MUL | BPF_K: case BPF_ALU | BPF_MUL | BPF_X: A *= src; break;
		case BPF_ALU | BPF_DIV | BPF_K: case BPF_ALU | BPF_DIV | BPF_X:
			A = src ? A / src : 0; /* the kernel returns 0 for a division by X == 0 */
			if (!src)
				goto out_zero;
			break;
		case BPF_ALU | BPF_AND | BPF_K: case BPF_ALU | BPF_AND | BPF_X: A &= src; break;
		case BPF_ALU | BPF_OR | BPF_K: case BPF_ALU | BPF_OR | BPF_X: A |= src; break;
		case BPF_ALU | BPF_XOR | BPF_K: case BPF_ALU | BPF_XOR | BPF_X: A ^= src; break;
		/* the kernel runs classic BPF as eBPF ALU32, whose shifts use the
		 * low five bits of the count (the check refuses K >= 32) */
		case BPF_ALU | BPF_LSH | BPF_K: case BPF_ALU | BPF_LSH | BPF_X: A <<= src & 31; break;
		case BPF_ALU | BPF_RSH | BPF_K: case BPF_ALU | BPF_RSH | BPF_X: A >>= src & 31; break;
		case BPF_JMP | BPF_JA: pc += k; break;
		case BPF_JMP | BPF_JEQ | BPF_K: case BPF_JMP | BPF_JEQ | BPF_X: pc += A == src ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JGE | BPF_K: case BPF_JMP | BPF_JGE | BPF_X: pc += A >= src ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JGT | BPF_K: case BPF_JMP | BPF_JGT | BPF_X: pc += A > src ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JSET | BPF_K: case BPF_JMP | BPF_JSET | BPF_X: pc += (A & src) ? f->jt : f->jf; break;
		case BPF_RET | BPF_K:
			if (last_pc)
				*last_pc = pc;
			return k;
		case BPF_RET | BPF_A:
			if (last_pc)
				*last_pc = pc;
			return A;
		default:
			/* unchecked program: refuse like the kernel would have */
			return SECCOMP_RET_KILL_PROCESS;
		}
	}
out_zero:
	/* falling off the end or dividing by zero: the kernel's classic BPF
	 * returns 0, which seccomp reads as SECCOMP_RET_KILL_THREAD */
	if (last_pc)
		*last_pc = len;
	return 0;
}
