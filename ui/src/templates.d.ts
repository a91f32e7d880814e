// Views import their markup as text (`./view.html?raw`): Vite inlines the file into the bundle.
declare module "*.html?raw" {
  const template: string;
  export default template;
}
