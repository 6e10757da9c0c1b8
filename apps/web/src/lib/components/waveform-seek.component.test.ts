import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import WaveformSeek from './waveform-seek.svelte';

describe('waveform-seek', () => {
  it('draws the peaks as a slider that says where playback is', () => {
    render(WaveformSeek, { peaks: [0.2, 0.8, 0.5, 1], currentTime: 65, duration: 200, onseek: vi.fn() });
    const slider = screen.getByRole('slider', { name: 'Seek' });
    expect(slider.getAttribute('aria-valuenow')).toBe('65');
    expect(slider.getAttribute('aria-valuemax')).toBe('200');
    expect(slider.getAttribute('aria-valuetext')).toBe('1:05 of 3:20');
    expect(slider.querySelectorAll('rect')).toHaveLength(4);
  });

  it('colours the bars already played', () => {
    render(WaveformSeek, { peaks: [0.5, 0.5, 0.5, 0.5], currentTime: 100, duration: 200, onseek: vi.fn() });
    const played = [...document.querySelectorAll('rect')].map((bar) => bar.classList.contains('played'));
    expect(played).toEqual([true, true, false, false]);
  });

  it('seeks with the arrow keys, Home and End', async () => {
    const onseek = vi.fn();
    render(WaveformSeek, { peaks: [0.5, 1], currentTime: 60, duration: 200, onseek });
    const slider = screen.getByRole('slider', { name: 'Seek' });
    await fireEvent.keyDown(slider, { key: 'ArrowRight' });
    await fireEvent.keyDown(slider, { key: 'ArrowLeft' });
    await fireEvent.keyDown(slider, { key: 'End' });
    await fireEvent.keyDown(slider, { key: 'Home' });
    await fireEvent.keyDown(slider, { key: 'x' });
    expect(onseek.mock.calls.map(([seconds]) => seconds)).toEqual([65, 55, 200, 0]);
  });

  it('seeks where it is clicked', async () => {
    const onseek = vi.fn();
    render(WaveformSeek, { peaks: [0.5, 1], currentTime: 0, duration: 100, onseek });
    const slider = screen.getByRole('slider', { name: 'Seek' });
    slider.getBoundingClientRect = () => ({ left: 0, width: 400, top: 0, height: 36 }) as DOMRect;
    await fireEvent.pointerDown(slider, { clientX: 300, button: 0, pointerId: 1 });
    expect(slider.getAttribute('aria-valuenow')).toBe('75');
    await fireEvent.pointerUp(slider, { clientX: 300, button: 0, pointerId: 1 });
    expect(onseek).toHaveBeenCalledWith(75);
  });

  it('ignores keys while disabled', async () => {
    const onseek = vi.fn();
    render(WaveformSeek, { peaks: [1], currentTime: 0, duration: 100, disabled: true, onseek });
    await fireEvent.keyDown(screen.getByRole('slider'), { key: 'End' });
    expect(onseek).not.toHaveBeenCalled();
  });

  it('falls back to a plain range input without peaks', async () => {
    const onseek = vi.fn();
    render(WaveformSeek, { peaks: null, currentTime: 10, duration: 100, onseek });
    const input = screen.getByRole('slider', { name: 'Seek' }) as HTMLInputElement;
    expect(input.tagName).toBe('INPUT');
    await fireEvent.input(input, { target: { value: '42' } });
    expect(onseek).toHaveBeenCalledWith(42);
  });
});
