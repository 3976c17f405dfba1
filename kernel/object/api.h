/*
 * object/api.h -- the object manager (prefix ob_).  Not filled yet: it will
 * own kernel objects, handles and handle tables, reference counting and the
 * namespace of named objects that processes and services share.
 */
#ifndef KERNEL_OBJECT_API_H
#define KERNEL_OBJECT_API_H

#endif /* KERNEL_OBJECT_API_H */
