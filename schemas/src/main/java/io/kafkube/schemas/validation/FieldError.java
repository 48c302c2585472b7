package io.kafkube.schemas.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One field-level validation error, as Kubernetes' {@code field.Error}: it becomes one
 * {@code Status.details.causes[]} entry ({@code field}, {@link ErrorType#reason()},
 * {@link #message()}) of a 422 answer.
 *
 * @param field    the Kubernetes path, e.g. {@code spec.template.spec.containers[0].image}
 * @param type     what is wrong
 * @param badValue the offending value as Kubernetes would print it: a {@code String}, a number, a
 *                 {@code Boolean}, a {@code Map} or {@code List} of those, a {@link GoValue}, or
 *                 null; ignored by the types that do not print values
 * @param detail   the explanation after the value, may be empty
 */
public record FieldError(String field, ErrorType type, Object badValue, String detail) {

  public FieldError {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(type, "type");
    detail = detail == null ? "" : detail;
  }

  /**
   * Kubernetes' text for this error: {@code spec.replicas: Invalid value: -1: must be greater than
   * or equal to 0}, {@code metadata.name: Required value: name or generateName is required}.
   */
  public String message() {
    return field + ": " + body();
  }

  /** The message without the field, as Kubernetes' {@code ErrorBody()}. */
  public String body() {
    StringBuilder sb = new StringBuilder(type.text());
    if (type.printsValue() && badValue != GoValue.OMITTED) {
      sb.append(": ").append(GoValue.format(badValue));
    }
    if (!detail.isEmpty()) {
      sb.append(": ").append(detail);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return message();
  }

  // ---- factories, named as Kubernetes' field package names them ----

  public static FieldError required(FieldPath path, String detail) {
    return new FieldError(path.toString(), ErrorType.REQUIRED, "", detail);
  }

  public static FieldError invalid(FieldPath path, Object value, String detail) {
    return new FieldError(path.toString(), ErrorType.INVALID, value, detail);
  }

  /** {@code Unsupported value: "x": supported values: "a", "b"}. */
  public static FieldError notSupported(FieldPath path, Object value, List<String> supported) {
    String detail = "";
    if (!supported.isEmpty()) {
      List<String> quoted = new ArrayList<>(supported.size());
      for (String s : supported) {
        quoted.add(GoValue.quote(s));
      }
      detail = "supported values: " + String.join(", ", quoted);
    }
    return new FieldError(path.toString(), ErrorType.NOT_SUPPORTED, value, detail);
  }

  public static FieldError duplicate(FieldPath path, Object value) {
    return new FieldError(path.toString(), ErrorType.DUPLICATE, value, "");
  }

  public static FieldError forbidden(FieldPath path, String detail) {
    return new FieldError(path.toString(), ErrorType.FORBIDDEN, "", detail);
  }

  public static FieldError notFound(FieldPath path, Object value) {
    return new FieldError(path.toString(), ErrorType.NOT_FOUND, value, "");
  }

  /** {@code Too long: may not be more than N bytes} (the value is never printed). */
  public static FieldError tooLong(FieldPath path, int maxLength) {
    String detail = maxLength >= 0
        ? "may not be more than " + maxLength + (maxLength == 1 ? " byte" : " bytes")
        : "value is too long";
    return new FieldError(path.toString(), ErrorType.TOO_LONG, GoValue.OMITTED, detail);
  }

  /** {@code Too many: 5: must have at most 3 items}. */
  public static FieldError tooMany(FieldPath path, int actual, int max) {
    String detail = max >= 0
        ? "must have at most " + max + (max == 1 ? " item" : " items")
        : "has too many items";
    return new FieldError(path.toString(), ErrorType.TOO_MANY, actual >= 0 ? (Object) actual : GoValue.OMITTED, detail);
  }
}
