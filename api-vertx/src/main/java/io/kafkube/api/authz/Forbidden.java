package io.kafkube.api.authz;

import io.kafkube.api.ApiException;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.status.Statuses;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/** The 403 Status kube-apiserver answers a denied request with (its {@code forbiddenMessage}). */
public final class Forbidden {
  private Forbidden() {}

  /** {@code User "u" cannot list resource "pods" in API group "" in the namespace "default"}. */
  public static String message(Attributes a) {
    String user = a.user().username();
    if (!a.resourceRequest()) {
      return "User \"" + user + "\" cannot " + a.verb() + " path \"" + a.path() + "\"";
    }
    String base = "User \"" + user + "\" cannot " + a.verb() + " resource \"" + a.resourceWithSubresource()
        + "\" in API group \"" + a.apiGroup() + "\"";
    return a.namespace().isEmpty() ? base + " at the cluster scope"
        : base + " in the namespace \"" + a.namespace() + "\"";
  }

  /**
   * The Status: {@code pods is forbidden: ...} ({@code deployments.apps "web" is forbidden: ...} with
   * a group and a name), reason Forbidden, details {name, group, kind: resource} as
   * {@code errors.NewForbidden} fills them.
   */
  public static ApiException of(Attributes a) {
    String qualified = a.apiGroup().isEmpty() ? a.resource() : a.resource() + "." + a.apiGroup();
    String subject = !a.resourceRequest() ? "forbidden"
        : a.name().isEmpty() ? qualified + " is forbidden" : qualified + " \"" + a.name() + "\" is forbidden";
    GenericRecord s = Statuses.status(403, "Forbidden", subject + ": " + message(a), null, null, null, List.of());
    // StatusDetails' fields are omitempty: a core-group resource has no "group", a path only "details": {}
    GenericRecord d = AvroPaths.recordOrCreate(s, "details");
    if (a.resourceRequest()) {
      if (!a.name().isEmpty()) {
        d.put("name", a.name());
      }
      if (!a.apiGroup().isEmpty()) {
        d.put("group", a.apiGroup());
      }
      d.put("kind", a.resource());
    }
    return new ApiException(s);
  }
}
