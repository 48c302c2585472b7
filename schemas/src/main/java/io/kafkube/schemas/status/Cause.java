package io.kafkube.schemas.status;

/**
 * One cause of a failure, as {@code metav1.StatusCause}: {@code reason} is Kubernetes' cause type
 * ({@code FieldValueInvalid}, {@code FieldValueRequired}, …), {@code message} the text after the field
 * ({@code Invalid value: -1: must be greater than or equal to 0}), {@code field} the path.
 */
public record Cause(String reason, String message, String field) {
  /** {@code field: message}, as Kubernetes prints a field error. */
  public String text() {
    return field == null || field.isEmpty() ? message : field + ": " + message;
  }
}
