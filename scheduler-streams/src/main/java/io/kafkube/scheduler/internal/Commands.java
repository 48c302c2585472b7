package io.kafkube.scheduler.internal;

import io.kafkube.scheduler.framework.PodInfo;
import io.kafkube.scheduler.framework.ScheduleResult;
import io.kafkube.schemas.envelope.Envelopes;
import io.kafkube.schemas.envelope.Op;
import io.kafkube.schemas.envelope.User;
import io.kafkube.schemas.meta.AvroPaths;
import io.kafkube.schemas.meta.Meta;
import io.kafkube.schemas.meta.PodConditions;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkube.schemas.avro.KafkubeSchemas;
import io.kafkube.schemas.json.Conversion;
import io.kafkube.schemas.json.KubeJson;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import java.time.Instant;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/** The commands the scheduler sends to the store, under its own identity. */
public final class Commands {
  public static final User SCHEDULER = User.system("system:kube-scheduler");
  static final String PODS = "pods";

  private Commands() {}

  /**
   * A command of the scheduler's, under its identity. It reads no replies (a binding's outcome arrives on the pods' state
   * topic), so the store writes none.
   */
  private static Envelopes.CommandBuilder command(Op op, String key, String resource, String requestId) {
    return Envelopes.command(op, key, resource, SCHEDULER, requestId).noReply();
  }

  /** Binds the pod to the node, only if it is still the same pod (uid precondition). */
  static GenericRecord bind(PodInfo pod, String node, long now) {
    return command(Op.BIND, pod.key(), PODS, "scheduler-bind-" + pod.uid() + "-" + now)
        .nodeName(node).preconditions(pod.uid(), null).timestamp(now).build();
  }

  static final ResourceType EVENTS = ResourceRegistry.kubernetes().byGroupResource("events").orElseThrow();
  static final ResourceType VOLUMES = ResourceRegistry.kubernetes().byGroupResource("persistentvolumes").orElseThrow();
  static final ResourceType CLAIMS =
      ResourceRegistry.kubernetes().byGroupResource("persistentvolumeclaims").orElseThrow();
  /** kube-scheduler's event reason for a pod that did not fit, and its reporting component. */
  public static final String FAILED_SCHEDULING = "FailedScheduling";
  public static final String COMPONENT = "default-scheduler";

  /**
   * Sets {@code PodScheduled=False, reason Unschedulable} with the fit error's message, on the pod
   * as it was when the cycle ran (resourceVersion precondition: a pod that changed since is left alone).
   */
  static GenericRecord unschedulable(PodInfo pod, ScheduleResult result, long now) {
    return unschedulable(pod, result.message(), pod.nominatedNodeName(), now);
  }

  /** The same, also setting (or clearing, when null) {@code status.nominatedNodeName}. */
  static GenericRecord unschedulable(PodInfo pod, String message, String nominatedNode, long now) {
    GenericRecord copy = AvroPaths.copy(pod.record());
    PodConditions.set(copy, "PodScheduled", "False", ScheduleResult.REASON_UNSCHEDULABLE, message, now);
    AvroPaths.recordOrCreate(copy, "status").put("nominatedNodeName", nominatedNode);
    return command(Op.UPDATE_STATUS, pod.key(), PODS, "scheduler-status-" + pod.uid() + "-" + now)
        .object(copy).preconditions(pod.uid(), pod.resourceVersion()).timestamp(now).build();
  }

  /**
   * A core/v1 Event about the pod, as kube-scheduler records it: {@code Warning FailedScheduling}
   * with the fit error's message, from {@value #COMPONENT}; named {@code <pod>.<hex nanos>} in the
   * pod's namespace. A CREATE through the store like every other write.
   */
  static GenericRecord failedSchedulingEvent(PodInfo pod, String message, long now) {
    String ns = pod.namespace() == null ? "default" : pod.namespace();
    String name = pod.name() + "." + Long.toHexString(now * 1_000_000L);
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("apiVersion", "v1");
    root.put("kind", "Event");
    ObjectNode meta = root.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", ns);
    ObjectNode involved = root.putObject("involvedObject");
    involved.put("apiVersion", "v1");
    involved.put("kind", "Pod");
    involved.put("namespace", ns);
    involved.put("name", pod.name());
    if (pod.uid() != null) {
      involved.put("uid", pod.uid());
    }
    if (pod.resourceVersion() != null) {
      involved.put("resourceVersion", pod.resourceVersion());
    }
    root.put("reason", FAILED_SCHEDULING);
    root.put("message", message);
    root.put("type", "Warning");
    root.putObject("source").put("component", COMPONENT);
    String time = Instant.ofEpochSecond(now / 1000).toString();
    root.put("firstTimestamp", time);
    root.put("lastTimestamp", time);
    root.put("count", 1);
    root.put("action", "Scheduling");
    root.put("reportingComponent", COMPONENT);
    root.put("reportingInstance", COMPONENT);
    Conversion c = KubeJson.toAvro(root, KafkubeSchemas.kind(EVENTS));
    if (!c.clean()) {
      throw new IllegalStateException("scheduler event does not convert: " + c.problems());
    }
    return command(Op.CREATE, EVENTS.key(ns, name).toString(), EVENTS.groupResource(),
            "scheduler-event-" + pod.uid() + "-" + now)
        .object(c.record()).timestamp(now).build();
  }

  /**
   * Binds a volume to a claim (kube's PV controller's bind, done by the scheduler for delayed
   * binding): {@code spec.claimRef} set, only on the volume as the scheduler saw it.
   */
  static GenericRecord bindVolume(GenericRecord pv, GenericRecord pvc, long now) {
    GenericRecord copy = AvroPaths.copy(pv);
    GenericRecord ref = AvroPaths.recordOrCreate(AvroPaths.recordOrCreate(copy, "spec"), "claimRef");
    ref.put("kind", "PersistentVolumeClaim");
    ref.put("apiVersion", "v1");
    ref.put("namespace", Meta.namespace(pvc) == null ? "default" : Meta.namespace(pvc));
    ref.put("name", Meta.name(pvc));
    ref.put("uid", Meta.uid(pvc));
    ref.put("resourceVersion", Meta.resourceVersion(pvc));
    return command(Op.UPDATE, VOLUMES.key(null, Meta.name(pv)).toString(), VOLUMES.groupResource(),
            "scheduler-bind-pv-" + Meta.name(pv) + "-" + now)
        .object(copy).preconditions(Meta.uid(pv), Meta.resourceVersion(pv)).timestamp(now).build();
  }

  /** Sets the claim's {@code spec.volumeName}, only on the claim as the scheduler saw it. */
  static GenericRecord bindClaim(GenericRecord pvc, String volume, long now) {
    GenericRecord copy = AvroPaths.copy(pvc);
    AvroPaths.recordOrCreate(copy, "spec").put("volumeName", volume);
    String ns = Meta.namespace(pvc) == null ? "default" : Meta.namespace(pvc);
    return command(Op.UPDATE, CLAIMS.key(ns, Meta.name(pvc)).toString(), CLAIMS.groupResource(),
            "scheduler-bind-pvc-" + Meta.uid(pvc) + "-" + now)
        .object(copy).preconditions(Meta.uid(pvc), Meta.resourceVersion(pvc)).timestamp(now).build();
  }

  /** Deletes a preemption victim, only if it is still the same pod (uid precondition). */
  static GenericRecord evict(PodInfo victim, long now) {
    return command(Op.DELETE, victim.key(), PODS, "scheduler-preempt-" + victim.uid() + "-" + now)
        .preconditions(victim.uid(), null).timestamp(now).build();
  }
}
