/*
 * executive/internal.h -- cross-file internals of executive/.  Not for
 * other subsystems.
 */
#ifndef KERNEL_EXECUTIVE_INTERNAL_H
#define KERNEL_EXECUTIVE_INTERNAL_H

#include <executive/api.h>

#endif /* KERNEL_EXECUTIVE_INTERNAL_H */
