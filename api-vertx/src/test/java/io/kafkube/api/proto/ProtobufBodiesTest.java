package io.kafkube.api.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.kafkube.schemas.resource.ResourceRegistry;
import io.kafkube.schemas.resource.ResourceType;
import io.kubernetes.client.proto.Meta.ObjectMeta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Networking;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** Kubernetes protobuf bodies decode to Kubernetes JSON, with Go's inlined structs flattened. */
class ProtobufBodiesTest {
  private static byte[] body(String apiVersion, String kind, Message m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {'k', '8', 's', 0});
    Runtime.Unknown.newBuilder().setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
        .setRaw(m.toByteString()).build().writeTo(out);
    return out.toByteArray();
  }

  private static ResourceType type(String groupResource) {
    return ResourceRegistry.kubernetes().byGroupResource(groupResource).orElseThrow();
  }

  @Test
  void anIngressRuleCarriesHttpDirectly() throws Exception {
    // what `kubectl create ingress web --rule='web.local/*=web:80'` sends
    V1Networking.Ingress ingress = V1Networking.Ingress.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("web"))
        .setSpec(V1Networking.IngressSpec.newBuilder().addRules(V1Networking.IngressRule.newBuilder()
            .setHost("web.local")
            .setIngressRuleValue(V1Networking.IngressRuleValue.newBuilder().setHttp(
                V1Networking.HTTPIngressRuleValue.newBuilder().addPaths(V1Networking.HTTPIngressPath.newBuilder()
                    .setPath("/").setPathType("Prefix")
                    .setBackend(V1Networking.IngressBackend.newBuilder().setService(
                        V1Networking.IngressServiceBackend.newBuilder().setName("web")
                            .setPort(V1Networking.ServiceBackendPort.newBuilder().setNumber(80)))))))))
        .build();
    ProtobufBodies.Decoded d = ProtobufBodies.decode(body("networking.k8s.io/v1", "Ingress", ingress),
        type("ingresses.networking.k8s.io"));
    assertThat(d.json().at("/spec/rules/0/host").asText()).isEqualTo("web.local");
    assertThat(d.json().at("/spec/rules/0/http/paths/0/backend/service/name").asText()).isEqualTo("web");
    assertThat(d.json().at("/spec/rules/0").has("ingressRuleValue")).isFalse();
  }

  @Test
  void aVolumeCarriesItsSourceDirectly() throws Exception {
    V1.Pod pod = V1.Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("p"))
        .setSpec(V1.PodSpec.newBuilder().addVolumes(V1.Volume.newBuilder().setName("cfg")
            .setVolumeSource(V1.VolumeSource.newBuilder().setConfigMap(V1.ConfigMapVolumeSource.newBuilder()
                .setLocalObjectReference(V1.LocalObjectReference.newBuilder().setName("settings"))))))
        .build();
    ProtobufBodies.Decoded d = ProtobufBodies.decode(body("v1", "Pod", pod), type("pods"));
    assertThat(d.json().at("/spec/volumes/0/configMap/name").asText()).isEqualTo("settings");
    assertThat(d.json().at("/spec/volumes/0").has("volumeSource")).isFalse();
  }
}
