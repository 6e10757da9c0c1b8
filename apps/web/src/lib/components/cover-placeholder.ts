/**
 * The colours and letter of a generated cover for something without cover art: two hues derived
 * from the name (the same name always gets the same cover) at a lightness that keeps the white
 * letter readable (contrast above 4.5:1 on both stops).
 * @example
 * placeholderCover('Blue Train') // { letter: 'B', from: 'hsl(…)', to: 'hsl(…)' }
 */
export function placeholderCover(name: string): { letter: string; from: string; to: string } {
  let hash = 2166136261;
  for (const char of name) hash = Math.imul(hash ^ char.codePointAt(0)!, 16777619) >>> 0;
  const hue = hash % 360;
  const letter = [...name.trim()][0]?.toLocaleUpperCase() ?? '♪';
  return { letter, from: `hsl(${hue} 55% 32%)`, to: `hsl(${(hue + 40) % 360} 60% 22%)` };
}
