package io.kafkube.store.etcd;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The gRPC errors etcd answers with (etcd's {@code v3rpc/rpctypes}), same codes and texts. */
final class EtcdErrors {
  private EtcdErrors() {}

  static StatusRuntimeException emptyKey() {
    return Status.INVALID_ARGUMENT.withDescription("etcdserver: key is not provided").asRuntimeException();
  }

  static StatusRuntimeException keyNotFound() {
    return Status.INVALID_ARGUMENT.withDescription("etcdserver: key not found").asRuntimeException();
  }

  static StatusRuntimeException duplicateKey() {
    return Status.INVALID_ARGUMENT.withDescription("etcdserver: duplicate key given in txn request")
        .asRuntimeException();
  }

  static StatusRuntimeException tooManyOps() {
    return Status.INVALID_ARGUMENT.withDescription("etcdserver: too many operations in txn request")
        .asRuntimeException();
  }

  static StatusRuntimeException futureRevision() {
    return Status.OUT_OF_RANGE.withDescription("etcdserver: mvcc: required revision is a future revision")
        .asRuntimeException();
  }

  static StatusRuntimeException leaseNotFound() {
    return Status.NOT_FOUND.withDescription("etcdserver: requested lease not found").asRuntimeException();
  }

  static StatusRuntimeException leaseExists() {
    return Status.FAILED_PRECONDITION.withDescription("etcdserver: lease already exists").asRuntimeException();
  }

  static StatusRuntimeException leaseTtlTooLarge() {
    return Status.OUT_OF_RANGE.withDescription("etcdserver: too large lease TTL").asRuntimeException();
  }

  static StatusRuntimeException requestTooLarge() {
    return Status.INVALID_ARGUMENT.withDescription("etcdserver: request is too large").asRuntimeException();
  }

  static StatusRuntimeException timeout() {
    return Status.UNAVAILABLE.withDescription("etcdserver: request timed out").asRuntimeException();
  }

  /** kafkube's own refusals (no etcd equivalent), said plainly. */
  static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription("kafkube: " + message).asRuntimeException();
  }

  static StatusRuntimeException failedPrecondition(String message) {
    return Status.FAILED_PRECONDITION.withDescription("kafkube: " + message).asRuntimeException();
  }

  static StatusRuntimeException unimplemented(String what) {
    return Status.UNIMPLEMENTED.withDescription("kafkube: " + what + " is not supported").asRuntimeException();
  }

  /** A store refusal (a Kubernetes Status) as a gRPC error: the message names the fields. */
  static StatusRuntimeException fromStore(int code, String message) {
    Status s = switch (code) {
      case 400, 422 -> Status.INVALID_ARGUMENT;
      case 404 -> Status.NOT_FOUND;
      case 409 -> Status.FAILED_PRECONDITION;
      case 413 -> Status.INVALID_ARGUMENT;
      case 403 -> Status.PERMISSION_DENIED;
      default -> Status.INTERNAL;
    };
    if (code == 413) {
      return requestTooLarge();
    }
    return s.withDescription(message == null ? "kafkube: the store refused the request (" + code + ")" : message)
        .asRuntimeException();
  }
}
