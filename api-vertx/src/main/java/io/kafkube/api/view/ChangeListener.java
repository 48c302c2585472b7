package io.kafkube.api.view;

/**
 * Receives the changes of one kind as the view applies them, on the view's thread: implementations
 * only hand the event over (queue, {@code runOnContext}) and never block.
 */
@FunctionalInterface
public interface ChangeListener {
  void onChange(ViewEvent event);
}
