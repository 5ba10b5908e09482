package io.netprobe.agent.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * The agent's one Netty event loop group (NIO transport: it keeps ENETUNREACH and EHOSTUNREACH
 * apart), started on first use so that an agent that only says hello never starts it.
 */
public final class NettyLoop {
  private static volatile EventLoopGroup group;

  private NettyLoop() {}

  public static EventLoopGroup group() {
    EventLoopGroup g = group;
    if (g == null) {
      synchronized (NettyLoop.class) {
        if (group == null) {
          group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        }
        g = group;
      }
    }
    return g;
  }
}
