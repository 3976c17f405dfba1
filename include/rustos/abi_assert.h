/*
 * rustos/abi_assert.h -- compile-time pins for ABI structs.
 *
 * RUSTOS_ABI_SIZE(T, n) and RUSTOS_ABI_OFFSET(T, field, n) fail the build
 * when struct rustos_T drifts.  They work in C99 (a negative array size in a
 * typedef named after the struct and field, so names never collide), C11
 * (_Static_assert) and C++11 (static_assert).
 */
#ifndef RUSTOS_ABI_ASSERT_H
#define RUSTOS_ABI_ASSERT_H

#include <stddef.h>
#include <stdint.h>

#if defined(__cplusplus) && __cplusplus >= 201103L
#define RUSTOS_ABI_SIZE(T, n) \
	static_assert(sizeof(struct rustos_##T) == (n), "sizeof rustos_" #T)
#define RUSTOS_ABI_OFFSET(T, f, n) \
	static_assert(offsetof(struct rustos_##T, f) == (n), "offset rustos_" #T "." #f)
#elif !defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define RUSTOS_ABI_SIZE(T, n) \
	_Static_assert(sizeof(struct rustos_##T) == (n), "sizeof rustos_" #T)
#define RUSTOS_ABI_OFFSET(T, f, n) \
	_Static_assert(offsetof(struct rustos_##T, f) == (n), "offset rustos_" #T "." #f)
#else
#define RUSTOS_ABI_SIZE(T, n) \
	typedef char rustos_abi_size_##T[(sizeof(struct rustos_##T) == (n)) ? 1 : -1]
#define RUSTOS_ABI_OFFSET(T, f, n) \
	typedef char rustos_abi_off_##T##_##f[(offsetof(struct rustos_##T, f) == (n)) ? 1 : -1]
#endif

#endif /* RUSTOS_ABI_ASSERT_H */
