import { describe, expect, it } from 'vitest';
import { detectBrowser, detectInAppBrowser } from './browserInfo.js';

const UA = {
  chromeAndroid: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36',
  samsung:
    'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36',
  safariIos:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  chromeIos:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/123.0.6312.52 Mobile/15E148 Safari/604.1',
  chromeDesktop: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  firefoxDesktop: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  facebookAndroid:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/450.0.0.0;]',
  instagramIos:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 320.0.0.0 (iPhone15,2; iOS 17_4; en_US)',
  linkedinIos:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29',
  gmailIos: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Gmail/6.0',
  androidWebview:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0 Mobile Safari/537.36',
};

describe('browser detection for the camera help', () => {
  it.each([
    [UA.chromeAndroid, 'chromeAndroid'],
    [UA.samsung, 'samsungInternet'],
    [UA.safariIos, 'safariIos'],
    [UA.chromeIos, 'otherIos'],
    [UA.chromeDesktop, 'chromeDesktop'],
    [UA.firefoxDesktop, 'firefoxDesktop'],
    [UA.safariMac, 'safariDesktop'],
  ])('%s → %s', (ua, kind) => {
    expect(detectBrowser(ua)).toBe(kind);
    expect(detectInAppBrowser(ua)).toBeNull();
  });

  it.each([
    [UA.facebookAndroid, 'facebook'],
    [UA.instagramIos, 'instagram'],
    [UA.linkedinIos, 'linkedin'],
    [UA.gmailIos, 'gmail'],
    [UA.androidWebview, 'other'],
  ])('recognises the in-app browser in %s', (ua, app) => {
    expect(detectInAppBrowser(ua)).toBe(app);
  });
});
