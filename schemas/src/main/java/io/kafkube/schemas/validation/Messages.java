package io.kafkube.schemas.validation;

/** The message builders of Kubernetes' {@code util/validation}: same words, same punctuation. */
final class Messages {
  static final String IS_NEGATIVE = "must be greater than or equal to 0";
  static final String IS_NOT_POSITIVE = "must be greater than zero";
  static final String IS_NOT_INTEGER = "must be an integer";
  static final String FIELD_IMMUTABLE = "field is immutable";

  private Messages() {}

  static String maxLen(int length) {
    return "must be no more than " + length + " characters";
  }

  static String empty() {
    return "must be non-empty";
  }

  static String inclusiveRange(long lo, long hi) {
    return "must be between " + lo + " and " + hi + ", inclusive";
  }

  /** {@code msg (e.g. 'a' or 'b', regex used for validation is 'fmt')}. */
  static String regex(String msg, String fmt, String... examples) {
    if (examples.length == 0) {
      return msg + " (regex used for validation is '" + fmt + "')";
    }
    StringBuilder sb = new StringBuilder(msg).append(" (e.g. ");
    for (int i = 0; i < examples.length; i++) {
      if (i > 0) {
        sb.append(" or ");
      }
      sb.append('\'').append(examples[i]).append("', ");
    }
    return sb.append("regex used for validation is '").append(fmt).append("')").toString();
  }
}
