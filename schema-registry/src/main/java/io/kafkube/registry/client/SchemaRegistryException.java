package io.kafkube.registry.client;

/**
 * An error answered by a schema registry, with Confluent's HTTP status and {@code error_code}
 * (e.g. 404/40401 subject not found, 409/409 incompatible schema, 422/42201 invalid schema).
 * The in-memory client throws the same codes as the server answers.
 */
public class SchemaRegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  // Confluent's error codes.
  public static final int SUBJECT_NOT_FOUND = 40401;
  public static final int VERSION_NOT_FOUND = 40402;
  public static final int SCHEMA_NOT_FOUND = 40403;
  public static final int SUBJECT_SOFT_DELETED = 40404;
  public static final int SUBJECT_NOT_SOFT_DELETED = 40405;
  public static final int VERSION_SOFT_DELETED = 40406;
  public static final int VERSION_NOT_SOFT_DELETED = 40407;
  public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
  public static final int INCOMPATIBLE_SCHEMA = 409;
  public static final int INVALID_SCHEMA = 42201;
  public static final int INVALID_VERSION = 42202;
  public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
  public static final int INVALID_MODE = 42204;
  public static final int STORE_ERROR = 50001;
  public static final int OPERATION_TIMEOUT = 50002;
  public static final int FORWARDING_ERROR = 50003;
  public static final int UNKNOWN_LEADER = 50004;

  private final int httpStatus;
  private final int errorCode;

  public SchemaRegistryException(int httpStatus, int errorCode, String message) {
    super(message);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** The HTTP status of the answer (404, 409, 422, 500…). */
  public int httpStatus() {
    return httpStatus;
  }

  /** Confluent's {@code error_code} (40401, 409, 42201, 50001…). */
  public int errorCode() {
    return errorCode;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + httpStatus + "/" + errorCode + "]: " + getMessage();
  }
}
