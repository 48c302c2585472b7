package io.kafkube.registry.internals;

import io.kafkube.registry.client.SchemaRegistryException;

/** Factories for the registry's errors, with Confluent's statuses, codes and messages. */
public final class Errors {
  private Errors() {}

  public static SchemaRegistryException subjectNotFound(String subject) {
    return new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND,
        "Subject '" + subject + "' not found.");
  }

  public static SchemaRegistryException versionNotFound(String subject, Object version) {
    return new SchemaRegistryException(404, SchemaRegistryException.VERSION_NOT_FOUND,
        "Version " + version + " not found.");
  }

  public static SchemaRegistryException schemaNotFound() {
    return new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found");
  }

  public static SchemaRegistryException schemaIdNotFound(int id) {
    return new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND,
        "Schema " + id + " not found");
  }

  public static SchemaRegistryException subjectSoftDeleted(String subject) {
    return new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_SOFT_DELETED,
        "Subject '" + subject + "' was soft deleted.Set permanent=true to delete permanently");
  }

  public static SchemaRegistryException subjectNotSoftDeleted(String subject) {
    return new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_SOFT_DELETED,
        "Subject '" + subject + "' was not deleted first before being permanently deleted");
  }

  public static SchemaRegistryException versionSoftDeleted(String subject, int version) {
    return new SchemaRegistryException(404, SchemaRegistryException.VERSION_SOFT_DELETED,
        "Subject '" + subject + "' Version " + version
            + " was soft deleted.Set permanent=true to delete permanently");
  }

  public static SchemaRegistryException versionNotSoftDeleted(String subject, int version) {
    return new SchemaRegistryException(404, SchemaRegistryException.VERSION_NOT_SOFT_DELETED,
        "Subject '" + subject + "' Version " + version
            + " was not deleted first before being permanently deleted");
  }

  public static SchemaRegistryException subjectCompatibilityNotConfigured(String subject) {
    return new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
        "Subject '" + subject + "' does not have subject-level compatibility configured");
  }

  public static SchemaRegistryException incompatible(String message) {
    return new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA, message);
  }

  public static SchemaRegistryException invalidSchema(String message) {
    return new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, message);
  }

  public static SchemaRegistryException invalidVersion(String version) {
    return new SchemaRegistryException(422, SchemaRegistryException.INVALID_VERSION,
        "The specified version '" + version + "' is not a valid version id. "
            + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
  }

  public static SchemaRegistryException invalidCompatibilityLevel(String level) {
    return new SchemaRegistryException(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
        "Invalid compatibility level. Valid values are none, backward, forward, full, "
            + "backward_transitive, forward_transitive, and full_transitive; got " + level);
  }

  public static SchemaRegistryException invalidMode(String mode) {
    return new SchemaRegistryException(422, SchemaRegistryException.INVALID_MODE,
        "Invalid mode " + mode + ": only READWRITE is supported");
  }

  public static SchemaRegistryException store(String message, Throwable cause) {
    return new SchemaRegistryException(500, SchemaRegistryException.STORE_ERROR, message, cause);
  }

  public static SchemaRegistryException timeout(String message) {
    return new SchemaRegistryException(500, SchemaRegistryException.OPERATION_TIMEOUT, message);
  }

  public static SchemaRegistryException forwarding(String message, Throwable cause) {
    return new SchemaRegistryException(500, SchemaRegistryException.FORWARDING_ERROR, message, cause);
  }

  public static SchemaRegistryException unknownLeader(String message) {
    return new SchemaRegistryException(500, SchemaRegistryException.UNKNOWN_LEADER, message);
  }
}
