/*
 * request.h -- validation of struct rustos_loader_spawn_request (pure;
 * host unit-tested).
 */
#ifndef SERVICES_LOADERD_REQUEST_H
#define SERVICES_LOADERD_REQUEST_H

#include <rustos/loader.h>

/*
 * 0, or -EINVAL with *why naming the rule: lengths within the arrays,
 * counts equal to the NULs, every item NUL-terminated, exec path absolute
 * without NUL or a ".." component.
 */
int loader_check_request(const struct rustos_loader_spawn_request *r,
    const char **why);

#endif /* SERVICES_LOADERD_REQUEST_H */
