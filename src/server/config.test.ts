import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { hostAllowed } from './security/allowed-hosts.ts';

describe('TRUST_PROXY names the proxies', () => {
  it.each(['true', 'TRUE', 'yes', 'on'])('refuses %s, saying what to set instead', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/any client could choose its own address.*TRUST_PROXY=1.*TRUST_PROXY=10\.0\.0\.5/);
  });

  it.each<[string | undefined, unknown]>([
    [undefined, false],
    ['false', false],
    ['0', false],
    ['1', 1],
    ['2', 2],
    ['10.0.0.5', ['10.0.0.5']],
    ['10.0.0.5, 10.0.1.0/24,loopback', ['10.0.0.5', '10.0.1.0/24', 'loopback']],
    ['fd00::/8', ['fd00::/8']],
  ])('reads %s as %j', (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each(['11', 'proxy.example', '10.0.0.0/33', '*'])('refuses %s', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });
});

describe('ALLOWED_HOSTS', () => {
  it('defaults to the host of PUBLIC_ORIGIN, plus the loopback names when HOST is loopback', () => {
    const local = loadConfig({}).allowedHosts;
    for (const host of ['127.0.0.1:8080', 'localhost:8080', '[::1]:8080', 'LOCALHOST']) expect(hostAllowed(host, local), host).toBe(true);
    expect(hostAllowed('evil.example', local)).toBe(false);

    const proxied = loadConfig({ HOST: '0.0.0.0', PUBLIC_ORIGIN: 'https://s3-admin.example.com' }).allowedHosts;
    expect(hostAllowed('s3-admin.example.com', proxied)).toBe(true);
    expect(hostAllowed('s3-admin.example.com.', proxied)).toBe(true);
    expect(hostAllowed('localhost', proxied)).toBe(false);
    expect(hostAllowed('127.0.0.1', proxied)).toBe(false);
  });

  it('takes names and name:port entries instead of the default', () => {
    const allowed = loadConfig({ ALLOWED_HOSTS: 'admin.internal, s3-admin.example.com:8443' }).allowedHosts;
    expect(hostAllowed('admin.internal:9000', allowed)).toBe(true);
    expect(hostAllowed('s3-admin.example.com:8443', allowed)).toBe(true);
    expect(hostAllowed('s3-admin.example.com', allowed)).toBe(false);
    expect(hostAllowed('127.0.0.1:8080', allowed)).toBe(false);
  });

  it.each(['http://x', 'a/b', 'user@host', 'host:99999'])('refuses the entry %s', (entry) => {
    expect(() => loadConfig({ ALLOWED_HOSTS: entry })).toThrow(/ALLOWED_HOSTS entry/);
  });

  it.each([undefined, '', 'a b', 'host/path', 'user@host', 'host?x', '[::1'])('never accepts the Host %j', (host) => {
    expect(hostAllowed(host, loadConfig({}).allowedHosts)).toBe(false);
  });
});

describe('SIGN_IN_RATE_PER_MIN', () => {
  it('defaults to 10 attempts a minute per address', () => {
    expect(loadConfig({}).signInRatePerMin).toBe(10);
    expect(loadConfig({ SIGN_IN_RATE_PER_MIN: '30' }).signInRatePerMin).toBe(30);
    expect(() => loadConfig({ SIGN_IN_RATE_PER_MIN: '0' })).toThrow(/SIGN_IN_RATE_PER_MIN/);
  });
});

describe('DATABASE_POOL_SIZE', () => {
  it('defaults to 20 connections, takes 2 to 500, and names itself when refused', () => {
    expect(loadConfig({}).databasePoolSize).toBe(20);
    expect(loadConfig({ DATABASE_POOL_SIZE: '40' }).databasePoolSize).toBe(40);
    for (const value of ['1', '501', 'many']) expect(() => loadConfig({ DATABASE_POOL_SIZE: value })).toThrow(/DATABASE_POOL_SIZE/);
  });
});
