package io.kafkube.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The resize channel's messages as client-go's TerminalSize sends them, and what is not one. */
class ExecProtocolTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aResizeMessageIsWidthAndHeight() {
    assertThat(ExecProtocol.size(b("{\"Width\":123,\"Height\":45}"))).hasValueSatisfying(s ->
        assertThat(s).containsExactly(123, 45));
  }

  @Test
  void malformedOrImpossibleSizesAreIgnored() {
    assertThat(ExecProtocol.size(b("{\"Width\":0,\"Height\":45}"))).isEmpty();
    assertThat(ExecProtocol.size(b("{\"Width\":\"80\",\"Height\":24}"))).isEmpty();
    assertThat(ExecProtocol.size(b("{\"Width\":70000,\"Height\":24}"))).isEmpty();
    assertThat(ExecProtocol.size(b("{\"Height\":24}"))).isEmpty();
    assertThat(ExecProtocol.size(b("not json"))).isEmpty();
    assertThat(ExecProtocol.size(b(""))).isEmpty();
  }
}
