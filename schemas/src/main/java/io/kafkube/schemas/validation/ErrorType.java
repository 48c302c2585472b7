package io.kafkube.schemas.validation;

/**
 * The kinds of field error Kubernetes reports ({@code k8s.io/apimachinery/pkg/util/validation/field}):
 * {@link #reason()} is the machine-readable {@code causes[].reason} of a {@code Status},
 * {@link #text()} the words {@code message()} starts the body with.
 */
public enum ErrorType {
  NOT_FOUND("FieldValueNotFound", "Not found"),
  REQUIRED("FieldValueRequired", "Required value"),
  DUPLICATE("FieldValueDuplicate", "Duplicate value"),
  INVALID("FieldValueInvalid", "Invalid value"),
  NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
  FORBIDDEN("FieldValueForbidden", "Forbidden"),
  TOO_LONG("FieldValueTooLong", "Too long"),
  TOO_MANY("FieldValueTooMany", "Too many"),
  TYPE_INVALID("FieldValueTypeInvalid", "Invalid value");

  private final String reason;
  private final String text;

  ErrorType(String reason, String text) {
    this.reason = reason;
    this.text = text;
  }

  /** {@code FieldValueInvalid}, … as in {@code Status.details.causes[].reason}. */
  public String reason() {
    return reason;
  }

  /** {@code Invalid value}, … as printed in messages. */
  public String text() {
    return text;
  }

  /** Whether Kubernetes prints the bad value after the type ({@code Required}, {@code Forbidden} and {@code TooLong} never do). */
  boolean printsValue() {
    return this != REQUIRED && this != FORBIDDEN && this != TOO_LONG;
  }
}
