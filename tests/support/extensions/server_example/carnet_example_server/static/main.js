// The front-end half of the example server extension: asks its server route and shows
// the answer.
export default async function (carnet) {
  const response = await fetch(`${carnet.baseUrl}api/example/greeting`);
  const body = await response.json();
  document.body.dataset.exampleServer = body.greeting;
}
