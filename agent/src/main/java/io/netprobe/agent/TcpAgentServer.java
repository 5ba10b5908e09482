package io.netprobe.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netprobe.agent.net.NetNamespace;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The protocol over TCP ({@code --listen PORT}): the first line of a connection must be {@code
 * {"id":..,"op":"auth","args":{"token":".."}}} with the run's token; anything else gets an
 * UNAUTHORIZED reply and the connection is closed. After that, the connection is an agent session
 * like stdio; closing it stops that session's captures and listeners.
 */
public final class TcpAgentServer implements AutoCloseable {
  private static final int MAX_LINE = 1 << 20;
  private final Channel server;

  private TcpAgentServer(Channel server) {
    this.server = server;
  }

  public static TcpAgentServer start(String bind, int port, String token, ObjectMapper json)
      throws InterruptedException {
    byte[] expected = token.getBytes(StandardCharsets.UTF_8);
    Channel server =
        new ServerBootstrap()
            .group(NetNamespace.process().loop())
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new LineBasedFrameDecoder(MAX_LINE))
                        .addLast(new StringDecoder(StandardCharsets.UTF_8))
                        .addLast(new StringEncoder(StandardCharsets.UTF_8))
                        .addLast(new Session(json, expected));
                  }
                })
            .bind(bind, port)
            .sync()
            .channel();
    return new TcpAgentServer(server);
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  public void awaitClose() throws InterruptedException {
    server.closeFuture().await();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
  }

  /** One connection: unauthenticated until the token matches, then an agent session. */
  static final class Session extends SimpleChannelInboundHandler<String> {
    private final ObjectMapper json;
    private final byte[] expected;
    private Agent agent;

    /** Requests of one connection are taken in order (capture.start before the probe). */
    private final ExecutorService inOrder =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "np-agent-conn");
              t.setDaemon(true);
              return t;
            });

    Session(ObjectMapper json, byte[] expected) {
      this.json = json;
      this.expected = expected;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String line) {
      if (agent != null) {
        Agent current = agent;
        inOrder.execute(() -> current.handle(line));
        return;
      }
      JsonNode id = null;
      try {
        JsonNode request = json.readTree(line);
        id = request.get("id");
        String token = request.path("args").path("token").asText("");
        if ("auth".equals(request.path("op").asText())
            && MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8))) {
          Channel ch = ctx.channel();
          agent =
              new Agent(
                  json, reply -> ch.writeAndFlush(reply + "\n"), ch::close, NetNamespace.process());
          ch.writeAndFlush("{\"id\":" + id + ",\"ok\":true,\"result\":{\"authenticated\":true}}\n");
          return;
        }
      } catch (Exception e) {
        // refused below, without echoing what was sent
      }
      ctx.writeAndFlush(
              "{\"id\":"
                  + (id == null ? "null" : id)
                  + ",\"ok\":false,\"error\":"
                  + "{\"code\":\"UNAUTHORIZED\",\"message\":\"first request must be"
                  + " {\\\"op\\\":\\\"auth\\\",\\\"args\\\":{\\\"token\\\":..}} with the run's token\"}}\n")
          .addListener(f -> ctx.close());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      inOrder.shutdown();
      if (agent != null) {
        agent.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
