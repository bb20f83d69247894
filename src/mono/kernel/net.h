/*
 * net.h: the network: the LANCE driver (net.c), and Ethernet, ARP, IPv4
 * and UDP sockets (inet.c).
 */
#ifndef MONO_NET_H
#define MONO_NET_H

#include <stdint.h>

#define ETH_HLEN	14
#define IP_HLEN		20
#define UDP_HLEN	8
#define UDP_MAXDATA	(1514 - ETH_HLEN - IP_HLEN - UDP_HLEN)	/* 1472 */

extern uint8_t net_mac[6];
int net_send(const uint8_t *frame, uint32_t len);
void ether_input(const uint8_t *frame, uint32_t len);

struct sock;
struct sock *sock_alloc(void);
void sock_close(struct sock *s);
int sock_bind(struct sock *s, uint32_t port);
int sock_sendto(struct sock *s, uint32_t buf, uint32_t len, uint32_t addr);
int sock_recvfrom(struct sock *s, uint32_t buf, uint32_t len, uint32_t addr);
int net_config(uint32_t ip);

#endif
