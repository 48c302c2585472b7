package io.kafkube.schemas.envelope;

/** What a command asks of the store; the Avro enum {@code io.kafkube.v1.Op}. */
public enum Op {
  CREATE,
  UPDATE,
  UPDATE_STATUS,
  DELETE,
  BIND;

  /** The verb recorded in history and audit, in Kubernetes' words. */
  public String verb() {
    return switch (this) {
      case CREATE -> "create";
      case UPDATE -> "update";
      case UPDATE_STATUS -> "update";
      case DELETE -> "delete";
      case BIND -> "bind";
    };
  }
}
