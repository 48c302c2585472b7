package io.kafkube.api.admission;

import io.kafkube.schemas.meta.AvroPaths;
import org.apache.avro.generic.GenericRecord;

/**
 * kube-apiserver's {@code ServiceAccount} admission plugin, its defaulting part, for new pods: a pod that
 * names no ServiceAccount runs as its namespace's {@value #DEFAULT} one; a pod that names one only in the
 * deprecated {@code spec.serviceAccount} gets it as {@code spec.serviceAccountName}, as kube's v1 conversion
 * reads it. The deprecated field is left as the client sent it (kube's conversion writes the name back into
 * it on output; kafkube keeps the two fields apart, so that a client that sends an object back unchanged
 * changes neither).
 *
 * <p>kube's plugin also refuses a pod whose ServiceAccount does not exist, and mounts its token; kafkube
 * leaves both out: no controller creates the {@code default} ServiceAccount of a namespace yet, so the check
 * would refuse every pod that names none. A pod's token comes from a projected volume it declares.
 */
public final class ServiceAccountAdmission {
  public static final String DEFAULT = "default";

  private ServiceAccountAdmission() {}

  /** Sets the new pod's ServiceAccount, in place; a pod without a spec is left for validation to refuse. */
  public static void admit(GenericRecord pod) {
    GenericRecord spec = AvroPaths.record(pod, "spec");
    if (spec == null) {
      return;
    }
    String name = AvroPaths.string(spec, "serviceAccountName");
    if (name == null || name.isEmpty()) {
      String deprecated = AvroPaths.string(spec, "serviceAccount");
      name = deprecated == null || deprecated.isEmpty() ? DEFAULT : deprecated;
      spec.put("serviceAccountName", name);
    }
  }
}
