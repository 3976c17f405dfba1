/*
 * compat/api.h -- compatibility layers (prefix compat_).  Not filled yet: it
 * will own the Linux x86_64 and Windows syscall entry dispatch, the narrow
 * privileged actions left after service policy (user copy, rt_sigframe)
 * and the Linux .ko symbol ABI.
 */
#ifndef KERNEL_COMPAT_API_H
#define KERNEL_COMPAT_API_H

#endif /* KERNEL_COMPAT_API_H */
