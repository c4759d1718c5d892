/** The workspace's local Nx generators, for tools that call them from code. */
export { default as serviceGenerator, type ServiceGeneratorSchema } from './service/generator';
