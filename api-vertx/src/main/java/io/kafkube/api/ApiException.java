package io.kafkube.api;

import io.kafkube.schemas.status.Statuses;
import org.apache.avro.generic.GenericRecord;

/**
 * A request failed with a Kubernetes {@code meta.v1.Status}: every handler fails its routing context
 * with one of these and the one error handler renders it (HTTP code = the Status' code).
 */
public final class ApiException extends RuntimeException {
  private final transient GenericRecord status;

  public ApiException(GenericRecord status) {
    super(String.valueOf(status.get("message")), null, false, false);
    this.status = status;
  }

  public GenericRecord status() {
    return status;
  }

  public int code() {
    return ((Number) status.get("code")).intValue();
  }

  public static ApiException badRequest(String message) {
    return new ApiException(Statuses.badRequest(message));
  }

  public static ApiException of(int code, String reason, String message) {
    return new ApiException(Statuses.status(code, reason, message, null, null, null, java.util.List.of()));
  }
}
