/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* arm64 specifics of a syscall seen from its saved registers: the same
 * functions as arch_x86.bpf.h. The native arch is AUDIT_ARCH_AARCH64, the
 * compat one AUDIT_ARCH_ARM (32-bit EABI tasks, where the kernel has
 * CONFIG_COMPAT). */
#ifndef SCLENS_ARCH_ARM64_BPF_H
#define SCLENS_ARCH_ARM64_BPF_H

#define SCLENS_ARCH_NATIVE SCLENS_ARCH_AARCH64
#define SCLENS_ARCH_COMPAT SCLENS_ARCH_ARM
/* PSR_MODE32_BIT of the saved pstate: the task runs in AArch32 (the
 * architecture's own bit, where the TIF_32BIT flag is a kernel detail) */
#define SCLENS_PSR_MODE32 0x10

static __always_inline bool task_in_compat_syscall(struct task_struct *task)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);

	return regs->pstate & SCLENS_PSR_MODE32;
}

/* already a direct load through bpf_task_pt_regs (see arch_x86.bpf.h) */
#define task_in_compat_syscall_direct task_in_compat_syscall

/* syscallno holds the number (-1 once a tracer cancelled the call); x0 is
 * overwritten by the return value, so the first argument is orig_x0 */
static __always_inline long syscall_nr(struct pt_regs *regs)
{
	return BPF_CORE_READ(regs, syscallno);
}

static __always_inline long syscall_return_value(struct pt_regs *regs)
{
	return BPF_CORE_READ(regs, regs[0]);
}

static __always_inline long syscall_nr_direct(struct task_struct *task)
{
	return ((struct pt_regs *)bpf_task_pt_regs(task))->syscallno;
}

static __always_inline void read_args(struct pt_regs *regs, bool compat, __u64 *a)
{
	a[0] = BPF_CORE_READ(regs, orig_x0);
	a[1] = BPF_CORE_READ(regs, regs[1]);
	a[2] = BPF_CORE_READ(regs, regs[2]);
	a[3] = BPF_CORE_READ(regs, regs[3]);
	a[4] = BPF_CORE_READ(regs, regs[4]);
	a[5] = BPF_CORE_READ(regs, regs[5]);
	if (compat) {
#pragma unroll
		for (int i = 0; i < 6; i++)
			a[i] = (__u32)a[i];
	}
}

/* Fills nr, arch, args and ip from the registers saved at syscall entry. */
static __always_inline void read_syscall_regs(struct task_struct *task, struct pt_regs *regs,
					      struct sclens_event *e)
{
	bool compat = task_in_compat_syscall(task);

	e->ip = BPF_CORE_READ(regs, pc);
	e->arch = compat ? SCLENS_ARCH_COMPAT : SCLENS_ARCH_NATIVE;
	e->nr = (__s32)syscall_nr(regs);
	read_args(regs, compat, e->args);
}

/* struct seccomp_data as the filter saw it, in 32-bit words (little
 * endian): nr, arch, instruction_pointer, args[6] */
static __always_inline void read_seccomp_data(struct task_struct *task, struct pt_regs *regs, __u32 *d)
{
	bool compat = task_in_compat_syscall(task);
	__u64 ip = BPF_CORE_READ(regs, pc), a[6];

	read_args(regs, compat, a);
	d[0] = (__u32)syscall_nr(regs);
	d[1] = compat ? SCLENS_ARCH_COMPAT : SCLENS_ARCH_NATIVE;
	d[2] = (__u32)ip;
	d[3] = ip >> 32;
#pragma unroll
	for (int i = 0; i < 6; i++) {
		d[4 + 2 * i] = (__u32)a[i];
		d[5 + 2 * i] = a[i] >> 32;
	}
}

static __always_inline void read_first_args(struct task_struct *task, struct pt_regs *regs, __u64 *a0, __u64 *a1)
{
	bool compat = task_in_compat_syscall(task);

	*a0 = BPF_CORE_READ(regs, orig_x0);
	*a1 = BPF_CORE_READ(regs, regs[1]);
	if (compat) {
		*a0 = (__u32)*a0;
		*a1 = (__u32)*a1;
	}
}

static __always_inline enum call_kind call_kind(__u32 arch, long nr)
{
	if (arch == SCLENS_ARCH_COMPAT) { /* the arm EABI table */
		if (nr == 120 || nr == 2 || nr == 190 || nr == 435)
			return CALL_CLONE;
		return nr == 383 ? CALL_SECCOMP : nr == 172 ? CALL_PRCTL : CALL_OTHER;
	}
	if (nr == 220 || nr == 435)
		return CALL_CLONE;
	return nr == 277 ? CALL_SECCOMP : nr == 167 ? CALL_PRCTL : CALL_OTHER;
}

/* Could this be seccomp(2) or prctl(2) in one of the arch's tables? */
static __always_inline bool may_install(long nr)
{
	return nr == 277 || nr == 167 || nr == 383 || nr == 172;
}

/* execve and execveat (the tid can change under them) and the
 * filter-installing calls, in either table */
static __always_inline bool needs_task_state(long nr)
{
	return may_install(nr) || nr == 221 || nr == 281 || nr == 11 || nr == 387;
}

/* PTRACE_SYSEMU: TIF_SYSCALL_EMU (12) of thread_info.flags; arm64 has no
 * generic-entry syscall_work */
#define TIF_SYSCALL_EMU_ARM64 12
static __always_inline bool sysemu_set(struct task_struct *task)
{
	return BPF_CORE_READ(task, thread_info.flags) & (1UL << TIF_SYSCALL_EMU_ARM64);
}

/* Which argument of this call profiles condition on: -1 none */
static __always_inline int recorded_arg(__u32 arch, long nr, bool ioctl)
{
	if (arch == SCLENS_ARCH_COMPAT) {
		if (nr == 120 || nr == 281 || nr == 136 || nr == 337 || nr == 172)
			return 0; /* clone socket personality unshare prctl */
		return ioctl && nr == 54 ? 1 : -1;
	}
	if (nr == 220 || nr == 198 || nr == 92 || nr == 97 || nr == 167)
		return 0; /* clone socket personality unshare prctl */
	return ioctl && nr == 29 ? 1 : -1;
}

/* Which arguments of a native call are paths (bit i: argument i) */
static __always_inline __u8 path_args_native(__s32 nr)
{
	switch (nr) {
	case 39: case 49: case 51: case 89: case 221: case 224: case 225:
		return 1; /* umount2 chdir chroot acct execve swapon swapoff */
	case 41:
		return 3; /* pivot_root */
	case 36:
		return 5; /* symlinkat: target, linkpath */
	case 37: case 38: case 276:
		return 10; /* linkat renameat renameat2: both paths */
	case 40:
		return 7; /* mount: source, target, fstype */
	case 33: case 34: case 35: case 48: case 53: case 54: case 56: case 78: case 79:
	case 281: case 291: case 437: case 439:
		return 2; /* mknodat mkdirat unlinkat faccessat fchmodat fchownat openat
			   * readlinkat newfstatat execveat statx openat2 faccessat2 */
	}
	return 0;
}

#endif /* SCLENS_ARCH_ARM64_BPF_H */
