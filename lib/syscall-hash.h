/* The hash of a syscall name in the table gen/gen-syscalls writes and
 * lib/syscalls.c reads: both include this, so they cannot disagree. */
#ifndef SHIM_SYSCALL_HASH_H
#define SHIM_SYSCALL_HASH_H

#include <stdint.h>

/* Slots in the open-addressing table: a power of two, at least twice the
 * number of names, so that a probe sequence stays short. */
#define SYSCALL_HASH_SLOTS 2048u

/* FNV-1a, 32 bits. */
static inline uint32_t syscall_name_hash(const char *name)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

#endif
