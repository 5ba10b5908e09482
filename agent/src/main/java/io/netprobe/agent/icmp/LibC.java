package io.netprobe.agent.icmp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The few libc calls the ICMP socket needs. Constants and struct layouts are Linux on 64-bit
 * (x86_64, aarch64): msghdr is 56 bytes, cmsghdr 16, sockaddr_in 16.
 */
interface LibC extends Library {
  LibC INSTANCE = Native.load("c", LibC.class);

  int AF_INET = 2;
  int AF_INET6 = 10;
  int IPPROTO_ICMPV6 = 58;
  int SOL_IPV6 = 41;
  int IPV6_RECVERR = 25;
  int IPV6_RECVHOPLIMIT = 51;
  int IPV6_HOPLIMIT = 52;
  int SOCK_DGRAM = 2;
  int SOCK_RAW = 3;
  int IPPROTO_ICMP = 1;
  int SOL_IP = 0;
  int IP_TTL = 2;
  int IP_RECVERR = 11;
  int IP_RECVTTL = 12;
  int SOL_SOCKET = 1;

  /** Also the control message's type (SCM_TIMESTAMP): a struct timeval, 64-bit. */
  int SO_TIMESTAMP = 29;

  int MSG_DONTWAIT = 0x40;
  int MSG_ERRQUEUE = 0x2000;
  short POLLIN = 1;
  short POLLERR = 8;
  int EAGAIN = 11;
  int EFD_NONBLOCK = 0x800;
  int EFD_CLOEXEC = 0x80000;
  int SOCK_CLOEXEC = 0x80000;

  int socket(int domain, int type, int protocol) throws LastErrorException;

  int bind(int fd, Pointer addr, int len) throws LastErrorException;

  int getsockname(int fd, Pointer addr, Pointer len) throws LastErrorException;

  int setsockopt(int fd, int level, int name, Pointer value, int len) throws LastErrorException;

  long sendto(int fd, byte[] buf, long len, int flags, Pointer addr, int addrLen)
      throws LastErrorException;

  long recvmsg(int fd, Pointer msg, int flags) throws LastErrorException;

  int poll(Pointer fds, long nfds, int timeoutMs) throws LastErrorException;

  int eventfd(int initval, int flags) throws LastErrorException;

  long read(int fd, byte[] buf, long count);

  long write(int fd, byte[] buf, long count);

  int close(int fd);
}
