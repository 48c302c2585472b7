package io.kafkube.api.http;

import io.kafkube.api.authz.Escalation;
import io.kafkube.schemas.resource.ObjectKey;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.vertx.ext.web.RoutingContext;
import org.apache.avro.generic.GenericRecord;

/**
 * Every create or update of a Role, ClusterRole, RoleBinding or ClusterRoleBinding — whether from a
 * POST, a PUT, any patch or an apply, dry run or not — passes the escalation check before it is sent.
 */
public final class RbacGuard implements Writes.Guard {
  private static final String RBAC_SUFFIX = ".rbac.authorization.k8s.io";

  private final Escalation escalation;
  private final ResourceRegistry registry;

  public RbacGuard(Escalation escalation, ResourceRegistry registry) {
    this.escalation = escalation;
    this.registry = registry;
  }

  @Override
  public void check(RoutingContext ctx, GenericRecord command) {
    String op = String.valueOf(command.get("op"));
    Object object = command.get("object");
    if (!(op.equals("CREATE") || op.equals("UPDATE")) || object == null
        || !String.valueOf(command.get("resource")).endsWith(RBAC_SUFFIX)) {
      return;
    }
    ObjectKey key = ObjectKey.parse(String.valueOf(command.get("key")), registry).orElse(null);
    if (key == null) {
      return;
    }
    escalation.check(ResourceHandlers.user(ctx), key.type().plural(), key.namespace(), key.name(),
        Json.object((GenericRecord) object));
  }
}
