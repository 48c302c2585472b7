package io.kafkube.api.authz;

import java.util.List;
import java.util.Optional;

/** Where the RBAC authorizer reads roles and bindings from (the API's view, or a table in tests). */
public interface RbacSource {
  List<Binding> clusterRoleBindings();

  List<Binding> roleBindings(String namespace);

  Optional<List<PolicyRule>> clusterRole(String name);

  Optional<List<PolicyRule>> role(String namespace, String name);
}
