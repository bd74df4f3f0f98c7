/**
 * Which browser the customer is in, from its user agent: the camera-permission help differs per
 * browser, and in-app browsers (webviews inside other apps) often cannot use the camera at all.
 */
import type { IN_APP_BROWSERS } from '@live-assist/protocol';

export const BrowserKind = {
  chromeAndroid: 'chromeAndroid',
  samsungInternet: 'samsungInternet',
  safariIos: 'safariIos',
  /** Chrome, Firefox, Edge on iPhone/iPad: the camera switch lives in iOS Settings for that app. */
  otherIos: 'otherIos',
  chromeDesktop: 'chromeDesktop',
  firefoxDesktop: 'firefoxDesktop',
  safariDesktop: 'safariDesktop',
  other: 'other',
} as const;
export type BrowserKind = (typeof BrowserKind)[keyof typeof BrowserKind];

export const InAppBrowser = {
  facebook: 'facebook',
  instagram: 'instagram',
  gmail: 'gmail',
  linkedin: 'linkedin',
  /** Some other app's webview. */
  other: 'other',
} as const satisfies Record<string, (typeof IN_APP_BROWSERS)[number]>;
/** The protocol's list: the app travels to the console in the customer's `stage` frame. */
export type InAppBrowser = (typeof IN_APP_BROWSERS)[number];

const isIos = (ua: string) => /iPhone|iPad|iPod/.test(ua);

export function detectInAppBrowser(ua: string): InAppBrowser | null {
  if (/Instagram/.test(ua)) return InAppBrowser.instagram;
  if (/FBAN|FBAV|FB_IAB|FBIOS|\[FB/.test(ua)) return InAppBrowser.facebook;
  if (/LinkedInApp/i.test(ua)) return InAppBrowser.linkedin;
  if (/\bGmail\b|com\.google\.android\.gm/i.test(ua)) return InAppBrowser.gmail;
  // Android WebView marks itself with "; wv)"; an iOS webview is WebKit without "Safari/".
  if (/Android/.test(ua) && /; wv\)/.test(ua)) return InAppBrowser.other;
  if (isIos(ua) && /AppleWebKit/.test(ua) && !/Safari\//.test(ua) && !/CriOS|FxiOS|EdgiOS/.test(ua)) {
    return InAppBrowser.other;
  }
  return null;
}

export function detectBrowser(ua: string): BrowserKind {
  if (isIos(ua)) return /CriOS|FxiOS|EdgiOS|OPiOS/.test(ua) ? BrowserKind.otherIos : BrowserKind.safariIos;
  if (/SamsungBrowser/.test(ua)) return BrowserKind.samsungInternet;
  if (/Android/.test(ua)) return /Chrome\//.test(ua) && !/Firefox/.test(ua) ? BrowserKind.chromeAndroid : BrowserKind.other;
  if (/Firefox\//.test(ua)) return BrowserKind.firefoxDesktop;
  // Edge and Opera are Chromium: the same site-settings panel as Chrome.
  if (/Chrome\/|Chromium\/|Edg\//.test(ua)) return BrowserKind.chromeDesktop;
  if (/Macintosh/.test(ua) && /Safari\//.test(ua)) return BrowserKind.safariDesktop;
  return BrowserKind.other;
}
