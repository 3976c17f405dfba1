/*
 * rootd.h -- rootd's freestanding helpers (no libc): string and memory
 * primitives gcc may call, number formatting, the loaderd restart request.
 */
#ifndef SERVICES_ROOTD_ROOTD_H
#define SERVICES_ROOTD_ROOTD_H

#include <stddef.h>
#include <stdint.h>

#include <rustos/loader.h>

size_t rootd_strlen(const char *s);
void *rootd_memset(void *d, int c, size_t n);
int rootd_memcmp(const void *a, const void *b, size_t n);
/* Append NUL-terminated s at buf[n] (truncating); returns the new length. */
size_t rootd_append(char *buf, size_t cap, size_t n, const char *s);
/* Decimal text of v into buf (NUL-terminated); returns its length. */
size_t rootd_fmt_long(char *buf, size_t cap, long v);
/* Fill a loaderd spawn request: argv = {path} or {path, "--test-crash"}. */
long rootd_build_spawn(struct rustos_loader_spawn_request *r, const char *path,
    int crash);
void rootd_main(void);

#endif /* SERVICES_ROOTD_ROOTD_H */
