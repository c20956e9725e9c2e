/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* x86 specifics of a syscall seen from its saved registers. Each arch has
 * its own header with the same functions (arch_arm64.bpf.h). */
#ifndef SCLENS_ARCH_X86_BPF_H
#define SCLENS_ARCH_X86_BPF_H


/* arch/x86/include/asm/thread_info.h: set while a 32-bit syscall runs */
#define SCLENS_TS_COMPAT 0x0002

static __always_inline bool task_in_compat_syscall(struct task_struct *task)
{
	__u32 status = BPF_CORE_READ(task, thread_info.status);

	return status & SCLENS_TS_COMPAT;
}

/* The same by a direct load, for the hot paths (sys_exit of every call of
 * a filtered task, sys_enter of a recorded one): task must be the trusted
 * pointer of bpf_get_current_task_btf(), and no helper call is paid */
static __always_inline bool task_in_compat_syscall_direct(struct task_struct *task)
{
	return task->thread_info.status & SCLENS_TS_COMPAT;
}

#define SCLENS_ARCH_NATIVE SCLENS_ARCH_X86_64
#define SCLENS_ARCH_COMPAT SCLENS_ARCH_I386

/* The call's number and its return value in the saved registers */
static __always_inline long syscall_nr(struct pt_regs *regs)
{
	return BPF_CORE_READ(regs, orig_ax);
}

static __always_inline long syscall_return_value(struct pt_regs *regs)
{
	return BPF_CORE_READ(regs, ax);
}

/* The same number by a direct load through the task's own registers (the
 * one-hook method's hot path: no helper call) */
static __always_inline long syscall_nr_direct(struct task_struct *task)
{
	return ((struct pt_regs *)bpf_task_pt_regs(task))->orig_ax;
}

/* Fills nr, arch, args and ip from the registers saved at syscall entry. */
static __always_inline void read_syscall_regs(struct task_struct *task, struct pt_regs *regs,
					      struct sclens_event *e)
{
	long orig_ax = BPF_CORE_READ(regs, orig_ax);

	e->ip = BPF_CORE_READ(regs, ip);
	if (task_in_compat_syscall(task)) {
		e->arch = SCLENS_ARCH_I386;
		e->nr = (__s32)orig_ax;
		/* i386 ABI: ebx, ecx, edx, esi, edi, ebp; upper halves are garbage */
		e->args[0] = (__u32)BPF_CORE_READ(regs, bx);
		e->args[1] = (__u32)BPF_CORE_READ(regs, cx);
		e->args[2] = (__u32)BPF_CORE_READ(regs, dx);
		e->args[3] = (__u32)BPF_CORE_READ(regs, si);
		e->args[4] = (__u32)BPF_CORE_READ(regs, di);
		e->args[5] = (__u32)BPF_CORE_READ(regs, bp);
		return;
	}
	e->arch = SCLENS_ARCH_X86_64;
	/* x32 keeps the x86_64 audit arch and flags the number (seccomp
	 * filters see the flagged number; we report it cleared plus arch x32
	 * through this flag in user space). */
	e->nr = (__s32)orig_ax;
	e->args[0] = BPF_CORE_READ(regs, di);
	e->args[1] = BPF_CORE_READ(regs, si);
	e->args[2] = BPF_CORE_READ(regs, dx);
	e->args[3] = BPF_CORE_READ(regs, r10);
	e->args[4] = BPF_CORE_READ(regs, r8);
	e->args[5] = BPF_CORE_READ(regs, r9);
}

/* struct seccomp_data as the filter saw it, in 32-bit words (little
 * endian): nr (x32 flag kept), arch, instruction_pointer, args[6]. The
 * registers still hold them at sys_exit and in signal_generate (the
 * syscall's own return value is in ax, not in an argument register). */
static __always_inline void read_seccomp_data(struct task_struct *task, struct pt_regs *regs, __u32 *d)
{
	__u64 ip = BPF_CORE_READ(regs, ip), a[6];

	if (task_in_compat_syscall(task)) {
		d[1] = SCLENS_ARCH_I386;
		a[0] = (__u32)BPF_CORE_READ(regs, bx);
		a[1] = (__u32)BPF_CORE_READ(regs, cx);
		a[2] = (__u32)BPF_CORE_READ(regs, dx);
		a[3] = (__u32)BPF_CORE_READ(regs, si);
		a[4] = (__u32)BPF_CORE_READ(regs, di);
		a[5] = (__u32)BPF_CORE_READ(regs, bp);
	} else {
		d[1] = SCLENS_ARCH_X86_64;
		a[0] = BPF_CORE_READ(regs, di);
		a[1] = BPF_CORE_READ(regs, si);
		a[2] = BPF_CORE_READ(regs, dx);
		a[3] = BPF_CORE_READ(regs, r10);
		a[4] = BPF_CORE_READ(regs, r8);
		a[5] = BPF_CORE_READ(regs, r9);
	}
	d[0] = (__u32)BPF_CORE_READ(regs, orig_ax);
	d[2] = (__u32)ip;
	d[3] = ip >> 32;
#pragma unroll
	for (int i = 0; i < 6; i++) {
		d[4 + 2 * i] = (__u32)a[i];
		d[5 + 2 * i] = a[i] >> 32;
	}
}

/* The first two arguments only (what installs_filter needs): no event on
 * the 512-byte BPF stack for it */
static __always_inline void read_first_args(struct task_struct *task, struct pt_regs *regs, __u64 *a0, __u64 *a1)
{
	if (task_in_compat_syscall(task)) {
		*a0 = (__u32)BPF_CORE_READ(regs, bx);
		*a1 = (__u32)BPF_CORE_READ(regs, cx);
		return;
	}
	*a0 = BPF_CORE_READ(regs, di);
	*a1 = BPF_CORE_READ(regs, si);
}

static __always_inline enum call_kind call_kind(__u32 arch, long nr)
{
	if (arch == SCLENS_ARCH_I386) {
		if (nr == 120 || nr == 2 || nr == 190 || nr == 435)
			return CALL_CLONE;
		return nr == 354 ? CALL_SECCOMP : nr == 172 ? CALL_PRCTL : CALL_OTHER;
	}
	nr &= ~(long)SCLENS_X32_SYSCALL_BIT;
	if (nr == 56 || nr == 57 || nr == 58 || nr == 435)
		return CALL_CLONE;
	return nr == 317 ? CALL_SECCOMP : nr == 157 ? CALL_PRCTL : CALL_OTHER;
}

/* Cheap pre-check on any arch's number before call_kind(): could this be
 * seccomp(2) or prctl(2) in one of the x86 tables? */
static __always_inline bool may_install(long nr)
{
	nr &= ~(long)SCLENS_X32_SYSCALL_BIT;
	return nr == 317 || nr == 157 || nr == 354 || nr == 172;
}

/* Calls that keep their "in syscall" mark in task storage: execve and
 * execveat (the tid can change under them) and the filter-installing
 * calls (their exit is checked). Any arch's numbers: a false match only
 * takes the slower, equally correct path. */
static __always_inline bool needs_task_state(long nr)
{
	nr &= ~(long)SCLENS_X32_SYSCALL_BIT;
	return may_install(nr) || nr == 59 || nr == 322 || nr == 11 || nr == 358 || nr == 520 || nr == 545;
}

/* PTRACE_SYSEMU: a bit of thread_info.syscall_work since 5.11 (generic
 * entry), TIF_SYSCALL_EMU (6 on x86) of thread_info.flags before it.
 * Decided by CO-RE at load, not by a version number. */
#define TIF_SYSCALL_EMU_X86 6
static __always_inline bool sysemu_set(struct task_struct *task)
{
	if (bpf_core_field_exists(task->thread_info.syscall_work))
		return BPF_CORE_READ(task, thread_info.syscall_work) & (1UL << SYSCALL_WORK_BIT_SYSCALL_EMU);
	return BPF_CORE_READ(task, thread_info.flags) & (1UL << TIF_SYSCALL_EMU_X86);
}

/* Which argument of this call profiles condition on: -1 none */
static __always_inline int recorded_arg(__u32 arch, long nr, bool ioctl)
{
	if (arch == SCLENS_ARCH_I386) {
		if (nr == 120 || nr == 359 || nr == 136 || nr == 310 || nr == 172)
			return 0; /* clone socket personality unshare prctl */
		return ioctl && nr == 54 ? 1 : -1;
	}
	if (nr == 56 || nr == 41 || nr == 135 || nr == 272 || nr == 157)
		return 0; /* clone socket personality unshare prctl */
	return ioctl && nr == 16 ? 1 : -1;
}

/* Which arguments of a native call are paths (bit i: argument i) */
static __always_inline __u8 path_args_native(__s32 nr)
{
	switch (nr) {
	case 2: case 4: case 6: case 21: case 59: case 80: case 83: case 84: case 85: case 87:
	case 89: case 90: case 92: case 94: case 161: case 163: case 166: case 167: case 168:
		return 1; /* open stat lstat access execve chdir mkdir rmdir creat unlink readlink
			   * chmod chown lchown chroot acct umount2 swapon swapoff */
	case 82: case 86: case 88: case 155:
		return 3; /* rename link symlink pivot_root */
	case 165:
		return 7; /* mount: source, target, fstype */
	case 257: case 258: case 259: case 260: case 263: case 267: case 268: case 269:
	case 322: case 332: case 437: case 439:
		return 2; /* openat mkdirat mknodat fchownat unlinkat readlinkat fchmodat
			   * faccessat execveat statx openat2 faccessat2 */
	}
	return 0;
}

#endif /* SCLENS_ARCH_X86_BPF_H */
